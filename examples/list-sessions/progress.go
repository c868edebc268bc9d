package main

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

type atomicInt = atomic.Int64

// progress shows, on a terminal, how far a space-wide listing has got:
// "listed N dev environments, M sessions…" on one line of standard error,
// rewritten in place at most every so often, and cleared by stop. It shows
// nothing for a listing that ends within its delay.
type progress struct {
	w    io.Writer
	c    *countingClient
	done chan struct{}
	wg   sync.WaitGroup
	last string // the line shown; written only by the goroutine, read after wg.Wait
}

func startProgress(w io.Writer, c *countingClient, delay, every time.Duration) *progress {
	p := &progress{w: w, c: c, done: make(chan struct{})}
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
	line := fmt.Sprintf("listed %d dev environments, %d sessions…", p.c.envs.Load(), p.c.sessions.Load())
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
