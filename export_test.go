package devsessions

import (
	"context"
	"time"
)

// SetWatcherSleep replaces how w waits between polls, so that tests need
// not sleep real intervals.
func SetWatcherSleep(w *SessionWatcher, sleep func(ctx context.Context, d time.Duration) error) {
	w.sleep = sleep
}

// SetWatcherClock replaces the clock a watcher reads when a poll begins
// (for OlderThan).
func SetWatcherClock(w *SessionWatcher, now func() time.Time) {
	w.now = now
}
