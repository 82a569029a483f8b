// Package steps logs how long each step of a long piece of work took.
package steps

import (
	"log/slog"
	"time"
)

// Timer returns a function that logs, at debug level, the time since it
// was last called (or made) under what, the work, and the step that took
// it. A nil log gives a function that does nothing.
func Timer(log *slog.Logger, what string) func(step string) {
	if log == nil {
		return func(string) {}
	}
	t := time.Now()
	return func(step string) {
		log.Debug(what+": "+step, "took", time.Since(t))
		t = time.Now()
	}
}
