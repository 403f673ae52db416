"""The messages a person meets when something is refused, in Bahasa Indonesia and English.

An error carries a `Text` (a key of MESSAGES and its parameters) and is rendered in the chosen
language where it is shown (the CLI renders at its boundary, langkah/cli/main.py); `str()` of
such an error stays the English text. Each entry is (Bahasa Indonesia, English), like the
engine's own table (engine/errors.py). This module imports nothing of Langkah.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

MESSAGES: dict[str, tuple[str, str]] = {
    # -- cycle references and actions (langkah/service.py) -----------------------------------
    "cycle.empty_reference": (
        "referensi siklus kosong ditolak: beri id siklus (langkah status menampilkannya)",
        "an empty cycle reference is refused: give a cycle id (langkah status lists them)",
    ),
    "cycle.short_prefix": (
        "'{reference}' bukan id siklus, dan awalan id minimal {minimum} karakter "
        "(langkah status menampilkan siklus yang ada)",
        "'{reference}' is not a cycle id, and a prefix needs at least {minimum} characters "
        "(langkah status lists the cycles)",
    ),
    "cycle.not_found": (
        "tidak ada siklus '{reference}' (langkah status menampilkannya)",
        "no cycle '{reference}' (langkah status lists them)",
    ),
    "cycle.ambiguous": (
        "'{reference}' cocok dengan {count} siklus: {shown}; tulis id yang lebih panjang",
        "'{reference}' matches {count} cycles: {shown}; give more of the id",
    ),
    "cycle.ambiguous_more": (
        "'{reference}' cocok dengan {count} siklus: {shown} dan {more} lainnya; "
        "tulis id yang lebih panjang",
        "'{reference}' matches {count} cycles: {shown} and {more} more; give more of the id",
    ),
    "cycle.not_as_expected": (
        "siklus {cycle_id}: {wanted}, tetapi siklus {now}; tidak ada yang dicatat "
        "(muat ulang lalu putuskan lagi)",
        "cycle {cycle_id}: {wanted}, but it is {now}; nothing was recorded "
        "(reload it and decide again)",
    ),
    "expected.step": ("diharapkan di langkah {step}", "expected step {step}"),
    "expected.version": ("diharapkan versi {version}", "expected version {version}"),
    "expected.both": (
        "diharapkan di langkah {step} dan versi {version}",
        "expected step {step} and expected version {version}",
    ),
    "now.at_step": (
        "di langkah {step}, status {status}, versi {version}",
        "at step {step}, status {status}, version {version}",
    ),
    "now.no_step": (
        "{status} (tanpa langkah berjalan), status {status}, versi {version}",
        "{status} (no current step), status {status}, version {version}",
    ),
    "now.last_event": (
        "{now}; peristiwa terakhir #{seq}: {type}{step}, {when}{by}",
        "{now}; last event #{seq}: {type}{step}, {when}{by}",
    ),
    "now.event_step": (" di langkah {step}", " at step {step}"),
    "now.event_by": (" oleh {by}", " by {by}"),
    "action_id.empty": ("id aksi tidak boleh kosong", "an action id cannot be empty"),
    "action_id.too_long": (
        "id aksi paling banyak {maximum} karakter (yang ini {length})",
        "an action id has at most {maximum} characters (this one has {length})",
    ),
    "action_id.blanks": (
        "id aksi {value} berisi spasi atau karakter kendali; pakai huruf, angka, - atau _",
        "action id {value} has blanks or control characters; use letters, digits, - or _",
    ),
    "action_id.start_reused": (
        "siklus {cycle_id} sudah ada dan tidak dimulai oleh id aksi {action_id}; tidak ada "
        "yang dicatat (beri aksi mulai ini id sendiri)",
        "cycle {cycle_id} exists already and was not started by action id {action_id}; "
        "nothing was recorded (give this start its own id)",
    ),
    "action_id.reused": (
        "siklus {cycle_id}: id aksi {action_id} adalah peristiwa #{seq} ({type}), aksi yang "
        "lain; tidak ada yang dicatat (beri aksi ini id sendiri)",
        "cycle {cycle_id}: action id {action_id} is event #{seq} ({type}), a different "
        "action; nothing was recorded (give this action its own id)",
    ),
    "definition.no_longer_loads": (
        "{source}: definisi yang tersimpan tidak bisa dimuat lagi: {problem}",
        "{source}: the stored definition no longer loads: {problem}",
    ),
    "profile.no_folder": (
        "layanan ini tidak punya folder data untuk menyimpan profil",
        "this service has no data folder to keep a profile in",
    ),
    # -- the store's common refusals (langkah/store/base.py) ---------------------------------
    "store.conflict": (
        "siklus {cycle_id} diubah di tempat lain (versi {found}, diharapkan {expected}); "
        "muat ulang lalu coba lagi",
        "cycle {cycle_id} was changed elsewhere (version {found}, expected {expected}); "
        "reload it and try again",
    ),
    "store.integrity": (
        "siklus {cycle_id} tidak lolos verifikasi ({problem}); hanya bisa dibaca: tidak ada "
        "yang disimpan (langkah verify menyebut bedanya)",
        "cycle {cycle_id} does not verify ({problem}); it is read-only: nothing was saved "
        "(langkah verify names what differs)",
    ),
    "store.damaged": (
        "{path}: berkas penyimpanan rusak ({detail})",
        "{path}: damaged store file ({detail})",
    ),
    "store.damaged_repairable": (
        "{path}: berkas penyimpanan rusak ({detail}) (`langkah repair` menyisihkannya dan "
        "memulihkan isinya sebisanya)",
        "{path}: damaged store file ({detail}) (`langkah repair` sets it aside and recovers "
        "what it can)",
    ),
    # -- what a log's hash chain check finds (langkah/store/chain.py) ------------------------
    "chain.event_missing": (
        "peristiwa {seq} tidak ada (log melompatinya)",
        "event {seq} is missing (the log jumps over it)",
    ),
    "chain.event_repeated": (
        "peristiwa {seq} tercatat lebih dari sekali (ada peristiwa tambahan)",
        "event {seq} is there more than once (an extra event)",
    ),
    "chain.fewer_events": (
        "peristiwa {seq} tidak ada: header mencatat {version} peristiwa, log berisi {count}",
        "event {seq} is missing: the header records {version} events, the log has {count}",
    ),
    "chain.more_events": (
        "peristiwa {seq} berlebih: header mencatat {version} peristiwa, log berisi {count}",
        "event {seq} is extra: the header records {version} events, the log has {count}",
    ),
    "chain.not_object": (
        "ada peristiwa yang bukan objek JSON",
        "an event is not a JSON object",
    ),
    "chain.no_link": (
        "peristiwa {seq} tidak memuat tautan ke peristiwa sebelumnya",
        "event {seq} has no link to the event before it",
    ),
    "chain.broken_link": (
        "peristiwa {seq} tidak bertaut ke peristiwa {before}: isi peristiwa {before} berbeda "
        "dari hash yang tercatat sesudahnya (diubah setelah ditulis)",
        "event {seq} does not link to event {before}: event {before}'s content differs from "
        "the hash recorded after it (changed after it was written)",
    ),
    "chain.first_linked": (
        "peristiwa 1 bertaut ke peristiwa sebelumnya (prev-nya tidak kosong)",
        "event 1 links to an event before it (its prev is not empty)",
    ),
    "chain.time_backwards": (
        "peristiwa {seq}: waktunya lebih awal daripada peristiwa sebelumnya",
        "event {seq}: its time is earlier than the event before it",
    ),
    "chain.no_head": (
        "header tidak memuat hash akhir (head)",
        "the header has no head hash",
    ),
    "chain.last_differs": (
        "peristiwa {seq} (yang terakhir) berbeda dari hash akhir di header (diubah setelah "
        "ditulis, atau header-nya yang diubah)",
        "event {seq} (the last) differs from the head hash in the header (changed after it "
        "was written, or the header was)",
    ),
    "chain.last_differs_row": (
        "peristiwa {seq} (yang terakhir) berbeda dari hash akhir di baris siklus",
        "event {seq} (the last) differs from the head hash in the cycle row",
    ),
    "chain.head_unknown": (
        "hash akhir di header tidak cocok dengan peristiwa mana pun dalam log",
        "the header's head hash matches no event of the log",
    ),
    "chain.header_differs": (
        "nilai {name} di header berbeda dari yang dicatat peristiwa 1",
        "the header's {name} differs from the one event 1 records",
    ),
    "chain.and_more": (
        "{problem} (dan {more} lagi: langkah verify menampilkan semuanya)",
        "{problem} (and {more} more: langkah verify lists them)",
    ),
    "chain.both": ("{first}; {second}", "{first}; {second}"),
    "definition.emptied": (
        "definisi yang disematkan {name} dikosongkan setelah siklus dimulai (SHA-256-nya "
        "tidak lagi cocok dengan {what})",
        "the pinned definition {name} was emptied after the cycle started (its SHA-256 no "
        "longer matches its {what})",
    ),
    "definition.changed": (
        "definisi yang disematkan {name} diubah setelah siklus dimulai (SHA-256-nya tidak "
        "lagi cocok dengan {what})",
        "the pinned definition {name} was changed after the cycle started (its SHA-256 no "
        "longer matches its {what})",
    ),
    "definition.unloadable": (
        "{problem}; teksnya tidak bisa dimuat lagi: {error}",
        "{problem}; its text no longer loads: {error}",
    ),
    "definition.missing": (
        "{source}: definisi yang dipakai saat siklus ini dimulai tidak ditemukan",
        "{source}: the definition this cycle started with is missing",
    ),
    "store.no_cycle": (
        "tidak ada siklus '{cycle_id}' di {where}",
        "no cycle '{cycle_id}' in {where}",
    ),
    "store.not_cycle_id": ("'{cycle_id}' bukan id siklus", "'{cycle_id}' is not a cycle id"),
    "definition.its_name": ("namanya", "name"),
    "definition.its_digest": ("digest-nya", "digest"),
    "file.cannot_read": ("{path}: tidak dapat dibaca ({reason})", "{path}: cannot read ({reason})"),
    # -- `langkah repair` (the stores' recover, langkah/store/base.py) ----------------------
    "repair.ok": (
        "siklus dapat dimuat; tidak ada yang perlu dilakukan",
        "the cycle loads; nothing to do",
    ),
    "repair.newer": ("{problem}; dibiarkan apa adanya", "{problem}; left as it is"),
    "repair.unrecoverable": (
        "{problem}; tidak ada peristiwa pertama yang utuh; {aside}",
        "{problem}; no complete first event; {aside}",
    ),
    "repair.failed": (
        "{problem}; tidak dapat dibangun ulang ({failure}); siklus dibiarkan apa adanya",
        "{problem}; cannot rebuild it ({failure}); the cycle is left as it is",
    ),
    "repair.kept": (
        "{problem}; peristiwa 1-{kept} dari {found} yang ditemukan dipertahankan; {aside}",
        "{problem}; kept events 1-{kept} of {found} found; {aside}",
    ),
    "repair.kept_some": (
        "{problem}; peristiwa 1-{kept} dari {found} yang ditemukan dipertahankan; {left} "
        "peristiwa yang ditemukan tidak dipertahankan ({reason}): tetap tersimpan di {aside}",
        "{problem}; kept events 1-{kept} of {found} found; {left} event(s) found were not "
        "kept ({reason}): they remain in {aside}",
    ),
    "repair.file_aside": (
        "berkas yang rusak disimpan sebagai {aside}",
        "the damaged file is kept as {aside}",
    ),
    "repair.rows_aside": (
        "baris yang rusak disimpan di {aside}",
        "the damaged rows are kept in {aside}",
    ),
    "repair.event_unreadable": (
        "peristiwa {seq} tidak ada atau tidak dapat dibaca",
        "event {seq} is missing or unreadable",
    ),
    "repair.event_unlinked": (
        "peristiwa {seq} tidak bertaut ke peristiwa {before} (diubah atau salah tempat)",
        "event {seq} does not link to event {before} (changed or misplaced)",
    ),
    "repair.event_not_replayed": (
        "peristiwa {seq} tidak dapat diterapkan ulang pada definisi siklus",
        "event {seq} cannot be replayed on the cycle's definition",
    ),
    "outcome.ok": ("baik", "ok"),
    "outcome.recovered": ("dipulihkan", "recovered"),
    "outcome.unrecoverable": ("tidak dapat dipulihkan", "unrecoverable"),
    "outcome.newer": ("versi lebih baru", "newer"),
    "outcome.failed": ("gagal", "failed"),
    "repair.temporary": (
        "{count} berkas sementara sisa penulisan yang terputus dihapus",
        "removed {count} temporary file(s) left by interrupted writes",
    ),
    "repair.line": ("{path}: {outcome}: {message}", "{path}: {outcome}: {message}"),
    "repair.summary": (
        "{count} berkas siklus diperiksa: {summary}",
        "checked {count} cycle file(s): {summary}",
    ),
    "repair.count": ("{count} {outcome}", "{count} {outcome}"),
    "repair.none": ("tidak ada", "none"),
    # -- `langkah verify` (langkah/cli/store_commands.py) -----------------------------------
    "verify.problem": ("{cycle_id}: {problem}", "{cycle_id}: {problem}"),
    "verify.unreadable": (
        "{cycle_id}: tidak dapat dibaca: {problem}",
        "{cycle_id}: cannot be read: {problem}",
    ),
    "verify.upgraded": (
        "{cycle_id}: ditingkatkan ke skema 2 (rantai hash ditambahkan; semua peristiwa tetap)",
        "{cycle_id}: upgraded to schema 2 (hash chain added; every event kept)",
    ),
    "verify.unchained": (
        "{count} siklus belum memiliki rantai hash (ditulis sebelum skema 2): "
        "`langkah verify --upgrade` menambahkannya (tanpa kehilangan data), demikian pula "
        "aksi berikutnya pada siklus tersebut",
        "{count} cycle(s) have no hash chain yet (written before schema 2): "
        "`langkah verify --upgrade` adds it (lossless), as does their next action",
    ),
    "verify.failed": (
        "{failed} dari {count} siklus TIDAK terverifikasi (hanya-baca sampai diselesaikan)",
        "{failed} of {count} cycle(s) do NOT verify (read-only until resolved)",
    ),
    "verify.passed": (
        "{count} siklus terverifikasi: setiap log cocok dengan rantai hash dan definisinya",
        "verified {count} cycle(s): every log matches its hash chain and definition",
    ),
    "verify.code_now": (
        "{cycle_id}: kode cocok dengan log saat ini (versi {version})",
        "{cycle_id}: code matches the log as it is now (version {version})",
    ),
    "verify.code_older": (
        "{cycle_id}: kode cocok dengan versi {version} dari log: salinan kertas dibuat ketika "
        "log berisi {version} peristiwa; {after} peristiwa dicatat sesudahnya (log hanya "
        "bertambah, jadi salinan kertas yang lebih lama adalah wajar). Kode log saat ini "
        "adalah {current}",
        "{cycle_id}: code matches version {version} of the log: the paper copy was made when "
        "the log had {version} event(s); {after} event(s) were recorded after it (the log "
        "only grows, so an older paper copy is expected). The code of the log now is {current}",
    ),
    "verify.code_none": (
        "{cycle_id}: kode TIDAK cocok dengan versi mana pun dari log ini: log diubah setelah "
        "salinan kertas dibuat (atau kode itu milik siklus lain). Kode log saat ini adalah "
        "{current}",
        "{cycle_id}: code does NOT match any version of this log: the log was changed after "
        "the paper copy was made (or the code is another cycle's). The code of the log now "
        "is {current}",
    ),
    # -- `langkah migrate` (langkah/store/transfer.py, langkah/cli/migrate_command.py) -------
    "migrate.from_to": (
        "migrate: dari {source} ke {target}",
        "migrate: from {source} to {target}",
    ),
    "migrate.counts": (
        "{copied} disalin, {present} sudah ada",
        "{copied} copied, {present} already present",
    ),
    "migrate.counts_refused": (
        "{copied} disalin, {present} sudah ada, {refused} ditolak",
        "{copied} copied, {present} already present, {refused} refused",
    ),
    "migrate.progress": ("[{done}/{total}] {counts}", "[{done}/{total}] {counts}"),
    "migrate.refused": (
        "siklus {cycle_id}: ditolak: {reason}",
        "cycle {cycle_id}: refused: {reason}",
    ),
    "migrate.done": (
        "migrate: {counts}; {definitions} definisi, {drafts} draf disalin",
        "migrate: {counts}; {definitions} definition(s), {drafts} draft(s) copied",
    ),
    "migrate.empty": (
        "migrate: sumber tidak memuat siklus; tidak ada yang disalin",
        "migrate: the source holds no cycle; nothing to copy",
    ),
    "migrate.some_refused": (
        "migrate: {count} siklus ditolak (disebut di atas); selebihnya telah disalin",
        "migrate: {count} cycle(s) refused (named above); the rest were copied",
    ),
    "migrate.not_verified": (
        "log-nya tidak terverifikasi: {problem}",
        "its log does not verify: {problem}",
    ),
    "migrate.no_events": ("log-nya tidak berisi peristiwa", "its log has no events"),
    "migrate.event_unreadable": ("peristiwa {seq}: {detail}", "event {seq}: {detail}"),
    "migrate.log_refused": (
        "{problem} (tidak ada yang disalin; `langkah verify {cycle_id}` menjelaskan lebih lanjut)",
        "{problem} (nothing copied; `langkah verify {cycle_id}` says more)",
    ),
    "migrate.other_log": (
        "tujuan memuat log yang berbeda untuk siklus ini ({there} peristiwa di sana, {here} di "
        "sini); dibiarkan apa adanya",
        "the target holds a different log for this cycle ({there} events there, {here} "
        "here); left as it is",
    ),
    "migrate.read_back_differs": (
        "salinan yang dibaca kembali dari tujuan berbeda dari sumbernya (sumber tidak berubah; "
        "periksa tujuan)",
        "the copy read back from the target differs from the source (the source is "
        "unchanged; check the target)",
    ),
    "migrate.definition_hash": (
        "teksnya tidak memiliki SHA-256 yang menyematkannya",
        "its text does not have the SHA-256 it is pinned by",
    ),
    "migrate.definition_unverified": (
        "definisi yang disematkannya tidak terverifikasi ({problem})",
        "its pinned definition does not verify ({problem})",
    ),
    "migrate.definition_other": (
        "tujuan memuat teks lain untuk definisi {digest}",
        "the target holds another text for definition {digest}",
    ),
    "migrate.definition_failed": (
        "definisi yang disematkannya tidak dapat disalin ({problem})",
        "its pinned definition cannot be copied ({problem})",
    ),
    "migrate.unchained": (
        "tanpa rantai hash / tanpa peristiwa",
        "no hash chain / no events",
    ),
    "migrate.not_imported": (
        "siklus {cycle_id}: tidak diimpor: {problem}",
        "cycle {cycle_id}: not imported: {problem}",
    ),
    "store.damaged_row": (
        "{path}: siklus tersimpan rusak ({detail})",
        "{path}: damaged stored cycle ({detail})",
    ),
    "store.damaged_row_repairable": (
        "{path}: siklus tersimpan rusak ({detail}) (`langkah repair` menyisihkannya dan "
        "memulihkan isinya sebisanya)",
        "{path}: damaged stored cycle ({detail}) (`langkah repair` sets it aside and recovers "
        "what it can)",
    ),
    # -- opening a store (langkah/store/factory.py, pg_url.py, pg_connection.py, ...) -------
    "store.no_driver": (
        "penyimpanan {url}: driver PostgreSQL belum terpasang ({detail}); pasang dengan: "
        "pip install 'langkah[pg]'",
        "store {url}: the PostgreSQL driver is not installed ({detail}); install it with: "
        "pip install 'langkah[pg]'",
    ),
    "store.unknown_kind": (
        "penyimpanan '{url}': jenis penyimpanan '{scheme}://' tidak dikenal (pakai "
        "postgresql://USER@HOST:PORT/DATABASE untuk PostgreSQL, atau sebuah folder)",
        "store '{url}': unknown kind of store '{scheme}://' (use "
        "postgresql://USER@HOST:PORT/DATABASE for PostgreSQL, or a folder)",
    ),
    "store.bad_url": (
        "penyimpanan {url}: bukan URL PostgreSQL yang sah ({why})",
        "store {url}: not a valid PostgreSQL URL ({why})",
    ),
    "store.bad_port": (
        "penyimpanan {url}: port '{port}' bukan angka",
        "store {url}: the port '{port}' is not a number",
    ),
    "store.encoding": (
        "PostgreSQL {location}: pengodean basis data adalah {encoding}; Langkah memerlukan "
        "UTF8 (CREATE DATABASE ... ENCODING 'UTF8'); tidak ada yang dibaca",
        "PostgreSQL {location}: the database's encoding is {encoding}; Langkah needs UTF8 "
        "(CREATE DATABASE ... ENCODING 'UTF8'); nothing was read",
    ),
    "store.newer_database": (
        "{where}: basis data disiapkan oleh Langkah versi yang lebih baru (skema {found}; versi "
        "ini mengenal sampai skema {latest}); tidak ada yang dibaca atau disimpan: perbarui "
        "Langkah",
        "{where}: the database was set up by a newer Langkah (schema {found}; this one knows "
        "up to {latest}); nothing was read or saved: update Langkah",
    ),
    "store.root_is_file": (
        "{root}: folder data berupa berkas, bukan folder; tidak ada yang dibaca atau disimpan "
        "(pindahkan berkas itu, atau pilih folder lain dengan --data-dir atau LANGKAH_DATA_DIR)",
        "{root}: the data folder is a file, not a folder; nothing was read or saved (move it "
        "away, or choose another with --data-dir or LANGKAH_DATA_DIR)",
    ),
    "store.read_only": (
        "{root}: folder data hanya-baca; tidak ada yang disimpan (siklus masih dapat dilihat)",
        "{root}: the data folder is read-only; nothing was saved (the cycles can still be viewed)",
    ),
    "store.disk_full": (
        "{path}: disk penuh; tidak ada yang disimpan (kosongkan sebagian ruang lalu coba lagi)",
        "{path}: the disk is full; nothing was saved (free some space and try again)",
    ),
    "store.not_writable": (
        "{path}: tidak dapat ditulis ({reason}); tidak ada yang disimpan",
        "{path}: not writable ({reason}); nothing was saved",
    ),
    "store.not_saved": (
        "{path}: {reason}; tidak ada yang disimpan",
        "{path}: {reason}; nothing was saved",
    ),
    # -- a PostgreSQL store's failures (pg_connection._message): "{doing}" is one of pg.do.* --
    "pg.failed": ("{server}: {doing}: {why}{tail}", "{server}: {doing}: {why}{tail}"),
    "pg.nothing_saved": ("; tidak ada yang disimpan", "; nothing was saved"),
    "pg.lost": (
        "PostgreSQL {location}: {doing}: sambungan terputus",
        "PostgreSQL {location}: {doing}: the connection was lost",
    ),
    "pg.no_connection": (
        "PostgreSQL {location}: {doing}: tidak ada sambungan",
        "PostgreSQL {location}: {doing}: no connection",
    ),
    "pg.pool_busy": (
        "semua {size} sambungan proses ini sedang dipakai; sudah menunggu {timeout} detik "
        "(LANGKAH_PG_POOL_SIZE mengizinkan lebih banyak)",
        "all {size} connections of this process are busy; waited {timeout} s "
        "(LANGKAH_PG_POOL_SIZE allows more)",
    ),
    "pg.do.connect": ("tidak dapat tersambung", "cannot connect"),
    "pg.do.set_up": ("tidak dapat menyiapkan tabelnya", "cannot set up its tables"),
    "pg.do.create": ("tidak dapat membuat siklus {cycle_id}", "cannot create cycle {cycle_id}"),
    "pg.do.save": ("tidak dapat menyimpan ke siklus {cycle_id}", "cannot save to cycle {cycle_id}"),
    "pg.do.save_summary": (
        "tidak dapat menyimpan ringkasan siklus {cycle_id}",
        "cannot save the summary of cycle {cycle_id}",
    ),
    "pg.do.read_cycle": ("tidak dapat membaca siklus {cycle_id}", "cannot read cycle {cycle_id}"),
    "pg.do.read_cycles": ("tidak dapat membaca siklus-siklus", "cannot read the cycles"),
    "pg.do.list": ("tidak dapat mendaftar siklus", "cannot list the cycles"),
    "pg.do.change_number": ("tidak dapat membaca nomor perubahan", "cannot read the change number"),
    "pg.do.changes": (
        "tidak dapat membaca siklus yang berubah",
        "cannot read which cycles changed",
    ),
    "pg.do.tell": (
        "tidak dapat memberi tahu pendengar siklus {cycle_id}",
        "cannot tell the listeners of cycle {cycle_id}",
    ),
    "pg.do.lock": ("tidak dapat mengunci siklus {cycle_id}", "cannot lock cycle {cycle_id}"),
    "pg.do.save_draft": (
        "tidak dapat menyimpan draf siklus {cycle_id}",
        "cannot save the draft of cycle {cycle_id}",
    ),
    "pg.do.read_draft": (
        "tidak dapat membaca draf siklus {cycle_id}",
        "cannot read the draft of cycle {cycle_id}",
    ),
    "pg.do.clear_draft": (
        "tidak dapat menghapus draf siklus {cycle_id}",
        "cannot clear the draft of cycle {cycle_id}",
    ),
    "pg.do.read_definition": (
        "tidak dapat membaca definisi {digest}",
        "cannot read definition {digest}",
    ),
    "pg.do.pin_definition": (
        "tidak dapat menyematkan definisi {digest}",
        "cannot pin definition {digest}",
    ),
    "pg.definition_nul": (
        "definisi {digest}: teksnya memuat karakter NUL, yang tidak dapat disimpan PostgreSQL; "
        "tidak ada yang disimpan",
        "definition {digest}: the text holds a NUL character, which PostgreSQL cannot store; "
        "nothing was saved",
    ),
    "pg.do.import_one": (
        "tidak dapat mengimpor siklus {cycle_id}",
        "cannot import cycle {cycle_id}",
    ),
    "pg.do.import_many": ("tidak dapat mengimpor {count} siklus", "cannot import {count} cycles"),
    "pg.do.table_statistics": (
        "tidak dapat mengumpulkan statistik tabel",
        "cannot gather the table statistics",
    ),
    "pg.do.list_facts": (
        "tidak dapat mendaftar fakta siklus yang tersimpan",
        "cannot list the cycles' kept facts",
    ),
    "pg.do.keep_facts": ("tidak dapat menyimpan fakta siklus", "cannot keep the cycles' facts"),
    "pg.do.keep_bound": (
        "tidak dapat menyimpan batas perubahan fakta",
        "cannot keep the cycles' kept facts",
    ),
    "pg.do.analyze_facts": (
        "tidak dapat menganalisis tabel fakta",
        "cannot analyze the facts tables",
    ),
    "pg.do.figures": ("tidak dapat menghitung angka", "cannot compute the figures"),
    "pg.do.working_time": (
        "tidak dapat menyimpan baris waktu kerja",
        "cannot keep the working-time rows",
    ),
    "pg.do.read_working_time": (
        "tidak dapat membaca baris waktu kerja",
        "cannot read the working-time rows",
    ),
    "pg.do.repair": ("tidak dapat memperbaiki siklus {cycle_id}", "cannot repair cycle {cycle_id}"),
    # -- a lock held too long by another writer (tinydb_store, pg_locking) -------------------
    "lock.held_file": (
        "{what} dikunci oleh proses Langkah lain ({who}); sudah menunggu {timeout} detik, "
        "tidak ada yang disimpan. Jika proses itu macet, hentikan{hint} lalu coba lagi",
        "{what} is locked by another Langkah process ({who}); waited {timeout} s, "
        "nothing was saved. If that process is stuck, end it{hint} and try again",
    ),
    "lock.what_cycle": ("siklus {cycle_id}", "cycle {cycle_id}"),
    "lock.what_folder": ("folder data {root}", "the data folder {root}"),
    "lock.who": ("nomor proses (pid) {pid}{host}{since}", "pid {pid}{host}{since}"),
    "lock.who_unknown": ("pid tidak diketahui{host}{since}", "pid unknown{host}{since}"),
    "lock.on_host": (" di {host}", " on {host}"),
    "lock.since": (", sejak {since}", ", since {since}"),
    "lock.kill_hint": (" (kill {pid})", " (end it: kill {pid})"),
    "lock.held_pg": (
        "siklus {cycle_id} di PostgreSQL {location} sedang dipegang {holder}; sudah menunggu "
        "{timeout} detik, tidak ada yang disimpan; coba lagi",
        "cycle {cycle_id} on PostgreSQL {location} is held {holder}; waited {timeout} s, "
        "nothing was saved; try again",
    ),
    "lock.holder_pg": (
        "oleh {app} (pid PostgreSQL {pid} {where}, tersambung sejak {when}); jika macet, "
        "hentikan (SELECT pg_terminate_backend({pid}))",
        "by {app} (PostgreSQL pid {pid} {where}, connected since {when}); if it is stuck, end "
        "it (SELECT pg_terminate_backend({pid}))",
    ),
    "lock.holder_other": ("oleh penulis lain", "by another writer"),
    "lock.another_client": ("klien lain", "another client"),
    "lock.from_address": ("dari {address}", "from {address}"),
    "lock.server_socket": ("lewat soket server", "on the server's socket"),
    # -- why a stored cycle cannot be read (the details of store.damaged*) ------------------
    "damage.empty": ("berkas kosong", "empty file"),
    "damage.not_json": ("bukan JSON yang sah: {detail}", "not valid JSON: {detail}"),
    "damage.not_object": ("bukan objek JSON", "not a JSON object"),
    "damage.record": (
        "rekaman tambahan ke-{number} bukan JSON yang sah: {detail}",
        "appended record {number} is not valid JSON: {detail}",
    ),
    "damage.record_shape": (
        "rekaman tambahan ke-{number} tidak berisi header dan peristiwa",
        "appended record {number} does not hold a header and events",
    ),
    "damage.record_unended": (
        "rekaman tambahan ke-{number} tidak diakhiri baris baru",
        "appended record {number} does not end with a line feed",
    ),
    "damage.no_header": ("tidak ada header siklus", "no cycle header"),
    "damage.newer": (
        "ditulis oleh Langkah versi yang lebih baru (skema {schema}, versi ini membaca skema "
        "{reads})",
        "written by a newer Langkah (schema {schema}, this one reads {reads})",
    ),
    "damage.no_summary": ("tidak ada ringkasan", "no summary"),
    "damage.no_event_table": ("tidak ada tabel peristiwa", "no event table"),
    "damage.event_id": ("ada id peristiwa yang bukan angka", "an event id is not a number"),
    "damage.event_unreadable": (
        "ada peristiwa yang tidak dapat dibaca: {detail}",
        "an event cannot be read: {detail}",
    ),
    "damage.gaps": (
        "log peristiwa berlubang atau tidak cocok dengan header-nya",
        "the event log has gaps or does not match its header",
    ),
    "damage.last_missing": (
        "peristiwa {version} tidak ada: baris siklus mencatat {version} peristiwa",
        "event {version} is missing: the cycle row records {version} events",
    ),
    # -- SOP names (langkah/catalog.py) ------------------------------------------------------
    "sop.unknown": (
        "tidak ada SOP '{sop}'; SOP yang ada: {known}",
        "no SOP '{sop}'; known SOPs: {known}",
    ),
    "sop.ambiguous": (
        "'{sop}' cocok dengan beberapa SOP: {matches}",
        "'{sop}' matches several SOPs: {matches}",
    ),
    "sop.has_errors": (
        "SOP '{sop}' berisi kesalahan (lihat `langkah validate`)",
        "SOP '{sop}' has errors (see `langkah validate`)",
    ),
    "sop.none": ("(tidak ada)", "(none)"),
    # -- the command line (langkah/cli/*.py) -------------------------------------------------
    "cli.option": ("{option}: {problem}", "{option}: {problem}"),
    "cli.command_needed": (
        "di sini perlu PERINTAH; `langkah` saja membuka aplikasi",
        "a COMMAND is needed here; `langkah` alone opens the app",
    ),
    "cli.not_utf8": (
        "argumen {position} ('{shown}') bukan teks UTF-8 yang sah; tulis dalam UTF-8 "
        "(periksa pengodean terminal atau skrip)",
        "argument {position} ('{shown}') is not valid UTF-8 text; write it in UTF-8 "
        "(check the terminal's or the script's encoding)",
    ),
    "cli.role_syntax": (
        "--role '{text}': tulis PERAN=\"NAMA;NIP;PANGKAT\"",
        "--role '{text}': write ROLE=\"NAMA;NIP;PANGKAT\"",
    ),
    "cli.role_quotes": (
        "peran '{role}': {problem} di '{rest}'",
        "role '{role}': {problem} in '{rest}'",
    ),
    "cli.role_fields": (
        "peran '{role}': '{rest}' punya {count} bagian dipisah ';' (paling banyak "
        'NAMA;NIP;PANGKAT); apit nama atau pangkat yang memuat ";" dengan tanda petik: '
        "{role}='\"NAMA; GELAR\";NIP;PANGKAT'",
        "role '{role}': '{rest}' has {count} fields separated by ';' (at most "
        'NAMA;NIP;PANGKAT); put a name or rank that holds ";" in double quotes: '
        "{role}='\"NAMA; GELAR\";NIP;PANGKAT'",
    ),
    "cli.roles_none": (
        'beri paling sedikit satu PERAN="NAMA;NIP;PANGKAT" (mis. kepala="...")',
        'give at least one ROLE="NAMA;NIP;PANGKAT" (e.g. kepala="...")',
    ),
    "cli.key_value": ("'{pair}' bukan KUNCI=NILAI", "'{pair}' is not KEY=VALUE"),
    "cli.answer_unknown": (
        "--answer '{word}' tidak dikenal: tulis {yes} (setuju) atau {no} (tidak)",
        "--answer '{word}' is not an answer: write {yes} (yes) or {no} (no)",
    ),
    "cli.duplicate": (
        "{sop} periode {period} sudah punya siklus: {listed}. Tidak dimulai; tambahkan "
        "--allow-duplicate untuk tetap memulai siklus kedua.",
        "{sop} period {period} already has a cycle: {listed}. Not started; add "
        "--allow-duplicate to start a second one anyway.",
    ),
    "cli.no_such_file": ("{option} {value}: berkas tidak ada", "{option} {value}: no such file"),
    "cli.not_a_file": (
        "{option} {value}: bukan berkas biasa (folder, perangkat atau pipa)",
        "{option} {value}: not a regular file (a folder, device or pipe)",
    ),
    "cli.profile_not_saved": (
        "profil tidak dapat disimpan: {problem}",
        "cannot save the profile: {problem}",
    ),
    "cli.is_folder": (
        "{option} {value}: itu folder; beri nama berkas, mis. {example}",
        "{option} {value}: that is a folder; give a file name, e.g. {example}",
    ),
    "cli.not_xlsx": (
        "{option} {value}: rekap berupa buku kerja Excel; beri nama berakhiran .xlsx",
        "{option} {value}: the recap is an Excel workbook; give a name ending in .xlsx",
    ),
    "file.exists": (
        "{path} sudah ada; tambahkan --force untuk menimpanya, atau pilih nama lain",
        "{path} already exists; add --force to replace it, or choose another name",
    ),
    "cli.unknown_status": (
        "--status {value}: status tidak dikenal; pakai salah satu dari {known}",
        "--status {value}: unknown status; use one of {known}",
    ),
    "cli.unknown_kecamatan": (
        "--kecamatan {value}: kecamatan tidak ada; yang ada: {known}",
        "--kecamatan {value}: no such kecamatan; known: {known}",
    ),
    "cli.nothing_matches": (
        "tidak ada siklus yang cocok dengan saringan ini; tidak ada yang ditulis",
        "no cycle matches these filters; nothing was written",
    ),
    "cli.one_or_other": (
        "{first} dan {second}: pilih salah satu",
        "{first} and {second}: give one or the other",
    ),
    "cli.not_docx": (
        "{option} {value}: rekap berupa dokumen Word; beri nama berakhiran .docx",
        "{option} {value}: the recap is a Word document; give a name ending in .docx",
    ),
    "cli.folder_first": (
        "{option} {value}: folder {folder} tidak ada (buat dulu)",
        "{option} {value}: the folder {folder} does not exist (create it first)",
    ),
    "cli.width": (
        "--width {width}: paling sedikit {minimum} kolom",
        "--width {width}: at least {minimum} columns",
    ),
    "cli.more_problems": (
        "{problem} (dan {more} lagi; `langkah validate {name}` menampilkan semuanya)",
        "{problem} (and {more} more; `langkah validate {name}` lists them)",
    ),
    "cli.code_one_cycle": (
        "--code memeriksa satu siklus: beri tepat satu SIKLUS",
        "--code checks one cycle: give exactly one CYCLE",
    ),
    "cli.bad_code": (
        "--code '{code}' bukan kode verifikasi ({length} karakter heksadesimal, seperti "
        "tercetak di laporan: mis. 3f9a 0c1d 77e2)",
        "--code '{code}' is not a verification code ({length} hex characters, as the report "
        "prints it: e.g. 3f9a 0c1d 77e2)",
    ),
    "cli.migrate_to": (
        "--to memerlukan URL postgresql:// atau folder data",
        "--to needs a postgresql:// URL or a data folder",
    ),
    "cli.migrate_source": ("sumber: {problem}", "the source: {problem}"),
    "cli.migrate_target": (
        "tujuan: {problem}; tidak ada yang disalin",
        "the target: {problem}; nothing was copied",
    ),
    "cli.migrate_same": (
        "sumber dan tujuan adalah penyimpanan yang sama ({location})",
        "the source and the target are the same store ({location})",
    ),
    "cli.migrate_failed": (
        "{problem}; siklus yang sudah tersalin tetap utuh",
        "{problem}; the cycles copied so far are kept whole",
    ),
    "cli.import_folder": (
        "{target}: adalah folder; beri nama berkas draf, mis. -o {target}/sop.toml",
        "{target}: is a folder; name the draft file, e.g. -o {target}/sop.toml",
    ),
    "cli.import_no_folder": (
        "{target}: folder {folder} tidak ada",
        "{target}: the folder {folder} does not exist",
    ),
    "cli.import_exists": (
        "{target}: sudah ada; tidak ditimpa (pakai --force untuk menimpanya)",
        "{target}: exists already; not replaced (add --force to replace it)",
    ),
    "cli.import_timezone": (
        "--timezone {value}: bukan zona waktu IANA (mis. Asia/Jakarta)",
        "--timezone {value}: not an IANA time zone (e.g. Asia/Jakarta)",
    ),
    "cli.import_failed": (
        "{problem}; tidak ada draf yang ditulis",
        "{problem}; no draft was written",
    ),
    "cli.import_unreadable": (
        "{document}: tidak dapat dibaca ({problem}); tidak ada draf yang ditulis",
        "{document}: cannot be read ({problem}); no draft was written",
    ),
    "cli.not_written": (
        "{target}: tidak dapat ditulis ({problem})",
        "{target}: cannot be written ({problem})",
    ),
    # -- writing the report and the recaps (langkah/report/) ------------------------------
    "report.bad_logo": (
        "logo kop {logo} tidak dapat dipakai: {reason} (pakai gambar PNG atau JPEG, atau hapus "
        'dengan langkah config --logo "")',
        "the kop logo {logo} cannot be used: {reason} (use a PNG or JPEG image, or remove it "
        'with langkah config --logo "")',
    ),
    "report.not_an_image": ("bukan gambar yang dikenal ({detail})", "not a known image ({detail})"),
    "report.cannot_write": (
        "laporan tidak dapat ditulis ke {path}: {reason}",
        "cannot write the report to {path}: {reason}",
    ),
    "recap.cannot_write": (
        "rekap tidak dapat ditulis ke {path}: {reason}",
        "cannot write the recap to {path}: {reason}",
    ),
    "file.no_folder": (
        "folder {folder} tidak ada (buat dulu)",
        "the folder {folder} does not exist (create it first)",
    ),
    "file.folder_missing": ("{folder} tidak ada", "{folder} does not exist"),
    "file.not_a_folder": ("{folder} bukan folder", "{folder} is not a folder"),
    "file.not_regular": ("bukan berkas biasa", "it is not a regular file"),
    "file.dangling_link": (
        "tautan simbolik ke sesuatu yang tidak ada",
        "a symbolic link to nothing",
    ),
    # -- store files that are not read, and the listing's problems (langkah/store/) ----------
    "unreadable.skipped": ("{path}: dilewati: {why}", "{path}: skipped: {why}"),
    "unreadable.symlink": (
        "tautan simbolik (tautan tidak diikuti di folder data)",
        "a symbolic link (links are not followed in the data folder)",
    ),
    "unreadable.folder": ("folder, bukan berkas biasa", "a folder, not a regular file"),
    "unreadable.fifo": ("FIFO, bukan berkas biasa", "a FIFO, not a regular file"),
    "unreadable.socket": ("soket, bukan berkas biasa", "a socket, not a regular file"),
    "unreadable.char_device": (
        "perangkat karakter, bukan berkas biasa",
        "a character device, not a regular file",
    ),
    "unreadable.block_device": (
        "perangkat blok, bukan berkas biasa",
        "a block device, not a regular file",
    ),
    "unreadable.other": ("bukan berkas biasa", "not a file, not a regular file"),
    "unreadable.too_large": (
        "terlalu besar ({size} bita; berkas penyimpanan paling besar {limit} bita)",
        "too large ({size} bytes; a store file has at most {limit} bytes)",
    ),
    "unreadable.cannot_examine": (
        "tidak dapat diperiksa ({reason})",
        "cannot be examined ({reason})",
    ),
    "unreadable.cannot_open": ("tidak dapat dibuka ({reason})", "cannot be opened ({reason})"),
    "unreadable.cannot_read": ("tidak dapat dibaca ({reason})", "cannot be read ({reason})"),
    "unreadable.permission": (
        "akses ditolak (periksa pemilik dan mode berkas)",
        "permission denied (check the file's owner and mode)",
    ),
    "listing.cannot_list": (
        "{folder}: tidak dapat didaftar ({reason})",
        "{folder}: cannot list ({reason})",
    ),
    "listing.cannot_read": (
        "{path}: tidak dapat dibaca ({reason})",
        "{path}: cannot read ({reason})",
    ),
    "listing.cycle_problem": ("siklus {cycle_id}: {problem}", "cycle {cycle_id}: {problem}"),
    "listing.unreadable_summary": (
        "siklus {cycle_id}: ringkasan tidak terbaca ({problem})",
        "cycle {cycle_id}: unreadable summary ({problem})",
    ),
    "listing.not_verified": (
        "tidak lolos verifikasi: {problem}",
        "does not verify: {problem}",
    ),
    "listing.left_out": (
        "{cycle_id}: {problem} (tidak dihitung)",
        "{cycle_id}: {problem} (left out)",
    ),
    "listing.left_out_store": ("{problem} (tidak dihitung)", "{problem} (left out)"),
    # -- the holiday override file, <data>/hari_libur.toml (langkah/holiday_overrides.py) -----
    "holidays.data_ends": (
        "Catatan: data hari libur hanya sampai {last} (waktu dihitung sampai akhir {counted})."
        " Perbarui paket holidays atau tambahkan hari_libur.toml (docs/holidays.md).",
        "Note: the holiday data ends in {last} (times are counted to the end of {counted})."
        " Update the holidays package or add hari_libur.toml (docs/holidays.md).",
    ),
    "import.written": (
        "Draf ditulis: {target} ({steps} langkah, {actors} pelaksana)",
        "Draft written: {target} ({steps} steps, {actors} actors)",
    ),
    "import.checks": (
        "Periksa {count} hal (# PERIKSA di draf):",
        "Check {count} items (# PERIKSA in the draft):",
    ),
    "import.check_line": ("baris {line}: {text}", "line {line}: {text}"),
    "import.no_checks": ("Tidak ada hal PERIKSA.", "Nothing marked PERIKSA."),
    "import.not_valid": (
        "Draf belum lolos validasi; perbaiki dulu:",
        "The draft does not validate yet; fix these first:",
    ),
    "import.valid": (
        "Draf lolos validasi (seperti `langkah validate`).",
        "The draft validates (as `langkah validate` checks).",
    ),
    "import.how_to_use": (
        "Untuk memakainya: salin ke <folder definisi>/<kantor>/<sop>.toml"
        " (--defs-dir; lihat docs/definition-format.md).",
        "To use it: copy it to <definitions folder>/<office>/<sop>.toml"
        " (--defs-dir; see docs/definition-format.md).",
    ),
    "definitions.none": ("Tidak ada definisi SOP.", "No SOP definitions."),
    "definitions.skipped": (
        "langkah: {count} definisi tidak valid dilewati ({names}); jalankan `langkah validate`",
        "langkah: {count} invalid definition(s) skipped ({names}); run `langkah validate`",
    ),
    "definitions.header": (
        "ID|KECAMATAN|NAMA SOP|NOMOR|LANGKAH|ASAL",
        "ID|KECAMATAN|SOP NAME|NUMBER|STEPS|ORIGIN",
    ),
    "definitions.header_units": (
        "ID|UNIT KERJA|NAMA SOP|NOMOR|LANGKAH|ASAL",
        "ID|UNIT|SOP NAME|NUMBER|STEPS|ORIGIN",
    ),
    "definitions.origin_bundled": ("bawaan", "bundled"),
    "definitions.origin_user": ("pengguna", "user"),
    "definitions.none_found": (
        "Tidak ada definisi SOP yang ditemukan.",
        "No SOP definitions were found.",
    ),
    "holidays.at": ("{where}: {problem}", "{where}: {problem}"),
    "holidays.cannot_read": ("tidak dapat dibaca: {why}", "cannot read: {why}"),
    "holidays.not_utf8": ("bukan teks UTF-8 ({reason})", "not UTF-8 text ({reason})"),
    "holidays.toml_syntax": (
        "kesalahan sintaks TOML: {detail}",
        "TOML syntax error: {detail}",
    ),
    "holidays.unknown_key": (
        "kunci '{name}' tidak dikenal (pakai [tambah] dan hapus = [...])",
        "unknown key '{name}' (use [tambah] and hapus = [...])",
    ),
    "holidays.tambah_not_table": (
        'tambah harus berupa tabel: [tambah] lalu 2026-12-24 = "nama"',
        'tambah must be a table: [tambah] then 2026-12-24 = "name"',
    ),
    "holidays.not_a_date": (
        "'{written}' bukan tanggal: tulis YYYY-MM-DD = \"nama\"",
        "'{written}' is not a date: write YYYY-MM-DD = \"name\"",
    ),
    "holidays.empty_name": (
        "nama untuk {day} harus teks yang tidak kosong, di antara tanda kutip",
        "the name of {day} must be non-empty text in quotes",
    ),
    "holidays.hapus_not_list": (
        "hapus harus berupa daftar tanggal: hapus = [2026-05-15]",
        "hapus must be a list of dates: hapus = [2026-05-15]",
    ),
    "holidays.hapus_not_date": (
        "'{item}' di hapus bukan tanggal (YYYY-MM-DD)",
        "'{item}' in hapus is not a date (YYYY-MM-DD)",
    ),
    "holidays.both": (
        "{day} ditambahkan sekaligus dihapus",
        "{day} is both added and removed",
    ),
    # -- what the operating system said, in the user's language (`os_reason`) ---------------
    # (the English is the system's own words on Linux, as `strerror` gives them)
    "os.no_such": ("berkas atau folder tidak ada", "No such file or directory"),
    "os.denied": ("izin ditolak", "Permission denied"),
    "os.not_permitted": ("tindakan tidak diizinkan", "Operation not permitted"),
    "os.read_only": ("sistem berkas hanya-baca", "Read-only file system"),
    "os.disk_full": ("disk penuh", "No space left on device (the disk is full)"),
    "os.quota": ("kuota disk habis", "Disk quota exceeded"),
    "os.is_folder": ("itu folder", "Is a directory"),
    "os.not_folder": ("salah satu bagian jalurnya bukan folder", "Not a directory"),
    "os.exists": ("sudah ada", "File exists"),
    "os.io": ("kesalahan baca/tulis pada disk", "Input/output error"),
    "os.name_too_long": ("nama berkas terlalu panjang", "File name too long"),
    "os.loop": ("terlalu banyak tautan simbolik", "Too many levels of symbolic links"),
    "os.busy": ("sedang dipakai", "Device or resource busy"),
    "os.text_busy": ("berkas sedang dijalankan", "Text file busy"),
    "os.too_many_open": ("terlalu banyak berkas terbuka", "Too many open files"),
    "os.too_many_open_system": (
        "terlalu banyak berkas terbuka di sistem",
        "Too many open files in system",
    ),
    "os.no_device": ("perangkat atau alamat tidak ada", "No such device or address"),
    "os.other": ("{reason}", "{reason}"),
    "os.at": ("{path}: {reason}", "{path}: {reason}"),
    "as_given": ("{detail}", "{detail}"),
}
"""Every message, by key: (Bahasa Indonesia, English), with the same {placeholders}."""

AS_GIVEN = "as_given"
"""A detail shown as it was given (an OS error, a path), for the rare technical errors that
carry no Text of their own: its two texts are the same."""

FRAMES = frozenset(
    {
        AS_GIVEN,
        "os.other",
        "os.at",
        "cli.option",
        "chain.both",
        "holidays.at",
        "pg.failed",
        "migrate.progress",
        "repair.count",
        "repair.line",
        "verify.problem",
    }
)
"""The keys whose two texts are the same because they only frame what they are given (their
parameters, said in the chosen language): no word of their own to translate."""


class Localized(Protocol):
    """Anything that can say itself in a language: a Text, an EngineError, a NipError."""

    def message(self, lang: str) -> str: ...


@dataclass(frozen=True)
class Text:
    """A message as data: a key of MESSAGES and its parameters. A parameter that is itself
    Localized (a Text, an engine error) is rendered in the same language."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.key not in MESSAGES:
            raise KeyError(f"no message '{self.key}'")

    def message(self, lang: str) -> str:
        template = MESSAGES[self.key][1 if lang == "en" else 0]
        values = {
            name: value.message(lang) if _speaks(value) else value
            for name, value in self.params.items()
        }
        return template.format(**values)

    def __str__(self) -> str:
        return self.message("en")

    def to_json(self) -> dict[str, Any]:
        """The Text as JSON (a cache keeps it so): a parameter that is a Text nests as
        {"text": ...}; any other value that is not a JSON scalar is kept as its English."""
        params: dict[str, Any] = {}
        for name, value in self.params.items():
            if isinstance(value, Text):
                params[name] = {"text": value.to_json()}
            elif value is None or isinstance(value, (str, int, float, bool)):
                params[name] = value
            else:
                params[name] = value.message("en") if _speaks(value) else str(value)
        return {"key": self.key, "params": params}

    @classmethod
    def from_json(cls, data: Any) -> Text:
        """The Text `to_json` wrote (KeyError or TypeError if `data` is not one)."""
        if not isinstance(data, dict) or not isinstance(data.get("params"), dict):
            raise TypeError("not a stored Text")
        params = {
            name: cls.from_json(value["text"]) if isinstance(value, dict) else value
            for name, value in data["params"].items()
        }
        return cls(data["key"], params)


def say(key: str, **params: Any) -> Text:
    """The Text of `key` with its parameters: say("cycle.not_found", reference="x")."""
    return Text(key, params)


_OS_KEYS = {
    errno.ENOENT: "os.no_such",
    errno.EACCES: "os.denied",
    errno.EPERM: "os.not_permitted",
    errno.EROFS: "os.read_only",
    errno.ENOSPC: "os.disk_full",
    errno.EDQUOT: "os.quota",
    errno.EISDIR: "os.is_folder",
    errno.ENOTDIR: "os.not_folder",
    errno.EEXIST: "os.exists",
    errno.EIO: "os.io",
    errno.ENAMETOOLONG: "os.name_too_long",
    errno.ELOOP: "os.loop",
    errno.EBUSY: "os.busy",
    errno.ETXTBSY: "os.text_busy",
    errno.EMFILE: "os.too_many_open",
    errno.ENFILE: "os.too_many_open_system",
    errno.ENXIO: "os.no_device",
}


def os_reason(error: OSError) -> Text:
    """What the operating system said about `error`, in the user's language: the common
    errors translated, any other in the system's own words."""
    key = _OS_KEYS.get(error.errno or 0)
    if key is None:
        return say("os.other", reason=error.strerror or str(error))
    return say(key)


def _speaks(value: object) -> bool:
    return callable(getattr(value, "message", None)) and not isinstance(value, type)


class TextError(Exception):
    """Mixin of an error whose message is a Text: `str()` is the English, `.text` both."""

    text: Text

    def __init__(self, text: Text, *args: object) -> None:
        super().__init__(text.message("en"), *args)
        self.text = text


class Refused(TextError, ValueError):
    """A value refused (an argument, a setting), with its message as a Text."""


class NoSuchName(TextError, KeyError):
    """A name (an SOP id, ...) that is not known; `args[0]` is the English message."""

    def __str__(self) -> str:  # a KeyError would quote its message
        return self.text.message("en")


def joined(texts: Iterable[Text | None]) -> Text | None:
    """The given problems as one ("first; second"), None if there is none."""
    present = [text for text in texts if text is not None]
    if not present:
        return None
    result = present[0]
    for text in present[1:]:
        result = say("chain.both", first=result, second=text)
    return result


def text_of(error: BaseException) -> Text:
    """What `error` says, as a Text (an engine error's own message is kept, in both
    languages, as the detail of AS_GIVEN)."""
    said = told(error)
    return said if isinstance(said, Text) else say(AS_GIVEN, detail=said)


def told(error: BaseException) -> Localized:
    """What `error` says, in either language: its Text, its own `message(lang)` (engine and
    NIP errors), or else its English text as given (rare, technical errors)."""
    text = getattr(error, "text", None)
    if isinstance(text, Text):
        return text
    if _speaks(error):
        return error  # type: ignore[return-value]  # it has message(lang), checked above
    if isinstance(error, KeyError) and error.args:
        return say(AS_GIVEN, detail=str(error.args[0]))
    if isinstance(error, OSError) and error.errno is not None:  # the system's, translated
        reason = os_reason(error)
        return (
            reason if error.filename is None else say("os.at", path=error.filename, reason=reason)
        )
    return say(AS_GIVEN, detail=str(error))
