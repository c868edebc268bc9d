package paginate

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
)

// fetched is one prefetched response, the error that ended prefetching, or
// the value the client panicked with.
type fetched[Out any] struct {
	out      *Out
	err      error
	panicked bool
	panicVal any
}

// fetcher returns the page source for an iterator and the function that
// must run when the iterator ends. Without Prefetch the source fetches on
// demand. With Prefetch n it starts one goroutine that requests up to n
// pages ahead of the caller; stop cancels it, waits for it to exit, and
// keeps the pages it completed (in order, up to the first failure) for the
// Pager's next call, so nothing is fetched twice or counted as delivered
// before it is. A panic in the client on that goroutine is raised again on
// the caller's goroutine, by the source or by stop.
//
// The goroutine works on a copy of the Pager's state and moves it as if
// each page it fetched were delivered in full: the requests it sends are
// those the caller would send without prefetch, in the same order, so caps,
// skips and repeated tokens come out the same.
func (p *Pager[Out, Item]) fetcher(ctx context.Context,
	optFns []func(*codecatalyst.Options)) (fetch func() error, stop func()) {
	fetch = func() error { return p.fetch(ctx, optFns) }
	if p.opts.Prefetch <= 0 {
		return fetch, func() {}
	}
	var ahead position[Out, Item]
	if p.pos.st == ready || p.pos.st == buffered {
		ahead = p.shadow()
	}
	if (p.pos.st != ready && p.pos.st != buffered) || ahead.st != ready {
		// Nothing left to request, but this is a prefetching loop all the
		// same: calls nested in it are refused as in any other.
		p.src = fetch
		return fetch, func() { p.src = nil }
	}
	ctx, cancel := context.WithCancel(ctx)
	// A request starts only with a free slot, and the caller frees one as it
	// takes a page, so at most Prefetch pages wait and a send never blocks:
	// a page that arrives is never thrown away. Pages kept from an earlier
	// loop hold slots too (up to Prefetch of them), freed as they are taken,
	// so that loops that break early never pile up pages.
	slots := make(chan struct{}, p.opts.Prefetch)
	held := min(len(p.ahead), p.opts.Prefetch)
	for range held {
		slots <- struct{}{}
	}
	results := make(chan fetched[Out], p.opts.Prefetch)
	go func() {
		defer close(results)
		for ahead.st == ready {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			r := p.guardedCall(ctx, &ahead, optFns)
			if r.err == nil && !r.panicked {
				// Read the page before handing it over: from the send on it
				// is the caller's, who may write to it.
				p.accept(&ahead, r.out)
				p.deliver(&ahead, len(ahead.rest))
			}
			results <- r
			if r.err != nil || r.panicked {
				return
			}
		}
	}()
	fetch = func() error {
		if len(p.ahead) > 0 {
			if len(p.ahead) <= held { // one of the kept pages that hold a slot
				<-slots
				held--
			}
			return p.fetch(ctx, optFns)
		}
		r, ok := <-results
		if ok {
			<-slots
		}
		switch {
		case !ok: // the goroutine was cancelled before answering
			return p.fetch(ctx, optFns)
		case r.panicked:
			panic(r.panicVal)
		case r.err != nil:
			return r.err
		}
		p.accept(&p.pos, r.out)
		return nil
	}
	p.src = fetch
	stop = func() {
		p.src = nil
		cancel()
		failed, panicked, panicVal := false, false, any(nil)
		for r := range results { // ends when the goroutine has exited
			if r.panicked && !panicked {
				panicked, panicVal = true, r.panicVal
			}
			if failed = failed || r.err != nil || r.panicked; !failed {
				p.ahead = append(p.ahead, r.out)
			}
		}
		if panicked {
			panic(panicVal)
		}
	}
	return fetch, stop
}

// guardedCall is call, with a panic in the client caught and returned.
func (p *Pager[Out, Item]) guardedCall(ctx context.Context, s *position[Out, Item],
	optFns []func(*codecatalyst.Options)) (r fetched[Out]) {
	defer func() {
		if v := recover(); v != nil {
			r = fetched[Out]{panicked: true, panicVal: v}
		}
	}()
	out, err := p.call(ctx, s, optFns)
	return fetched[Out]{out: out, err: err}
}

// shadow returns a clone of the position advanced past the page it has
// buffered and the pages held prefetched, for a prefetching goroutine to
// continue from: it moves as if each page were delivered in full.
func (p *Pager[Out, Item]) shadow() position[Out, Item] {
	s := p.pos.clone()
	if s.st == buffered {
		p.deliver(&s, len(s.rest))
	}
	for _, out := range p.ahead {
		if s.st != ready {
			break
		}
		p.accept(&s, out)
		p.deliver(&s, len(s.rest))
	}
	return s
}
