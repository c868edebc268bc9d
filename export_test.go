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
