package devsessions

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
)

// pacer spaces the attempts (retries included) that a space-wide listing
// sends through a real client once the service throttles it. Until the
// first throttled attempt it does nothing. A throttled attempt (at most one
// every cutEvery counts) sets the pace to 90% of the attempts answered
// without throttling over the last second, and never faster than the pace
// it had; after holdAfterCut without a throttle, every answered attempt
// makes the pace 1/128 faster, until it is unpaced again. It retries
// nothing: the client's retryer does.
//
// Its clock is now and sleep (tests set them); [newPacer] gives the real
// ones. It is safe for concurrent use.
type pacer struct {
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error

	stats *listingCounters // counts throttled attempts and waits; may be nil

	mu        sync.Mutex
	gap       time.Duration // between attempt starts; 0 = unpaced
	nextStart time.Time
	lastCut   time.Time
	ok        [10]int   // attempts answered without throttling, per 100 ms
	okSlot    [10]int64 // the 100 ms slot each count is for
}

const (
	cutEvery     = 100 * time.Millisecond
	holdAfterCut = time.Second
	okSlotSize   = 100 * time.Millisecond
	minGap       = time.Millisecond
	maxGap       = time.Second
)

// newPacer returns an unpaced pacer on the real clock.
func newPacer() *pacer { return &pacer{now: time.Now, sleep: sleep} }

// sleep waits d, or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// wait delays an attempt until its turn under the pace, or until ctx ends.
func (p *pacer) wait(ctx context.Context) error {
	p.mu.Lock()
	now := p.now()
	start := now
	if p.gap > 0 {
		start = later(now, p.nextStart)
		p.nextStart = start.Add(p.gap)
	}
	p.mu.Unlock()
	if d := start.Sub(now); d > 0 {
		if p.stats != nil {
			p.stats.pacerWait.Add(int64(d))
		}
		return p.sleep(ctx, d)
	}
	return nil
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// answered records how an attempt was answered.
func (p *pacer) answered(throttled bool) {
	if throttled && p.stats != nil {
		p.stats.throttled.Add(1)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	switch {
	case throttled && now.Sub(p.lastCut) >= cutEvery:
		gap := maxGap
		if n := p.answeredLastSecond(now); n > 0 {
			gap = min(maxGap, time.Duration(float64(time.Second)/(0.9*float64(n))))
		}
		p.gap, p.lastCut = max(gap, p.gap+p.gap/8), now
	case throttled:
	default:
		s := now.UnixNano() / int64(okSlotSize)
		if i := s % int64(len(p.ok)); p.okSlot[i] != s {
			p.okSlot[i], p.ok[i] = s, 1
		} else {
			p.ok[i]++
		}
		if p.gap > 0 && now.Sub(p.lastCut) >= holdAfterCut {
			if p.gap -= p.gap / 128; p.gap < minGap {
				p.gap = 0
			}
		}
	}
}

func (p *pacer) answeredLastSecond(now time.Time) int {
	s, n := now.UnixNano()/int64(okSlotSize), 0
	for i, c := range p.ok {
		if p.okSlot[i] > s-int64(len(p.ok)) {
			n += c
		}
	}
	return n
}

// gate adds to a request's options a middleware that runs each attempt
// (after the retryer, so a retry waits its turn too) through the pacer. It
// changes nothing in the request or its answer.
func (p *pacer) gate(o *codecatalyst.Options) {
	o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
		return st.Finalize.Add(middleware.FinalizeMiddlewareFunc("devsessions.Pacer",
			func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (
				middleware.FinalizeOutput, middleware.Metadata, error) {
				if err := p.wait(ctx); err != nil {
					return middleware.FinalizeOutput{}, middleware.Metadata{}, err
				}
				out, md, err := next.HandleFinalize(ctx, in)
				var apiErr smithy.APIError
				if err == nil || errors.As(err, &apiErr) {
					p.answered(isThrottle(err))
				}
				return out, md, err
			}), middleware.After)
	})
}

// isThrottle reports whether an attempt's error is the service throttling,
// as the SDK's retryers classify it ([retry.DefaultThrottles]: the throttle
// error codes, and an HTTP 429 whose error is not a modeled one).
func isThrottle(err error) bool {
	return err != nil && retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err) == aws.TrueTernary
}
