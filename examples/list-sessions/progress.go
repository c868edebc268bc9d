package main

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/codecatalyst-contrib/devsessions"
)

// progress shows, on a terminal, how far a space-wide listing has got:
// line's text (drawn from the listing's Stats, see spaceProgress) on one
// line of standard error, rewritten in place at most every so often, and
// cleared by stop. It shows nothing for a listing that ends within its
// delay.
type progress struct {
	w    io.Writer
	line func() string
	done chan struct{}
	wg   sync.WaitGroup
	last string // the line shown; written only by the goroutine, read after wg.Wait
}

func startProgress(w io.Writer, line func() string, delay, every time.Duration) *progress {
	p := &progress{w: w, line: line, done: make(chan struct{})}
	p.wg.Add(1)
	go p.loop(delay, every)
	return p
}

func (p *progress) loop(delay, every time.Duration) {
	defer p.wg.Done()
	select {
	case <-p.done:
		return
	case <-time.After(delay):
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		p.show()
		select {
		case <-p.done:
			return
		case <-t.C:
		}
	}
}

// show rewrites the line when the counts have changed.
func (p *progress) show() {
	line := p.line()
	if line == p.last {
		return
	}
	fmt.Fprintf(p.w, "\r%s\x1b[K", line)
	p.last = line
}

// stop ends the progress line and clears it; a nil progress does nothing.
func (p *progress) stop() {
	if p == nil {
		return
	}
	close(p.done)
	p.wg.Wait()
	if p.last != "" {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

// spaceProgress is a space-wide listing's progress line, from its Stats:
// what it listed and delivered, the requests sent, and throttling when
// there was any.
func spaceProgress(s *devsessions.SpaceSessions) func() string {
	return func() string { return statsLine(s.Stats()) }
}

func statsLine(st devsessions.ListingStats) string {
	line := fmt.Sprintf("listed %d dev environments, %d sessions (%d requests", st.DevEnvironmentsListed, st.SessionsDelivered, st.Requests)
	if st.Throttled > 0 {
		line += fmt.Sprintf(", %d throttled, %v waiting on the pace", st.Throttled, st.PacerWait.Round(time.Millisecond))
	}
	return line + ")…"
}
