package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// interrupted is the cause of a context cancelled by a signal.
type interrupted struct{ sig syscall.Signal }

func (e interrupted) Error() string { return "interrupted by " + signalName(e.sig) }

// exitCode is 128 + the signal's number, as a shell reports a process the
// signal ended: 130 for SIGINT, 143 for SIGTERM.
func (e interrupted) exitCode() int { return 128 + int(e.sig) }

func signalName(s syscall.Signal) string {
	switch s {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return s.String()
}

// interruption returns the signal that cancelled ctx, if one did.
func interruption(ctx context.Context) (interrupted, bool) {
	var in interrupted
	ok := errors.As(context.Cause(ctx), &in)
	return in, ok
}

// onSignals returns a context that the first SIGINT or SIGTERM cancels,
// with an interrupted cause, so that the listing stops and prints what it
// listed; a second signal calls exit with 128 + its number at once. stop
// ends the handling (its goroutine has returned when stop returns) and
// cancels the context.
func onSignals(parent context.Context, exit func(int)) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		first := true
		for {
			select {
			case <-done:
				return
			case s := <-ch:
				sig, _ := s.(syscall.Signal)
				if !first {
					exit(interrupted{sig}.exitCode())
					return
				}
				first = false
				cancel(interrupted{sig})
			}
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		wg.Wait()
		cancel(nil)
	}
}
