"""The Textual interface of Langkah: overview, run screen, variant picker, report export."""
