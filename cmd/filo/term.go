package main

import (
	"io"
	"os"

	"github.com/mattn/go-isatty"
)

// isTerminal tells whether w is a terminal, so that progress is drawn only
// for a person watching and never into a pipe or a log file.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}
