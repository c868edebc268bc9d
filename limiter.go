package devsessions

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// limiter bounds the session requests a space-wide listing has in flight:
// at most max, fewer after throttling (AIMD: halve on a throttled attempt,
// at most once per backoffEvery; grow by one per limit successes).
type limiter struct {
	max int

	mu       sync.Mutex
	limit    float64
	inFlight int
	wake     chan struct{} // closed and replaced when a permit is freed
	lastCut  time.Time
}

const backoffEvery = 100 * time.Millisecond

func newLimiter(n int) *limiter {
	return &limiter{max: n, limit: float64(n), wake: make(chan struct{})}
}

// acquire waits for a permit, or for ctx.
func (l *limiter) acquire(ctx context.Context) error {
	for {
		l.mu.Lock()
		if l.inFlight < max(1, int(l.limit)) {
			l.inFlight++
			l.mu.Unlock()
			return nil
		}
		wake := l.wake
		l.mu.Unlock()
		select {
		case <-wake:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// release frees a permit.
func (l *limiter) release() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.inFlight--
	close(l.wake)
	l.wake = make(chan struct{})
}

// attempt records how one attempt was answered.
func (l *limiter) attempt(throttled bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch now := time.Now(); {
	case throttled && now.Sub(l.lastCut) >= backoffEvery:
		l.limit, l.lastCut = max(1, l.limit/2), now
	case !throttled && l.limit < float64(l.max):
		grown := min(float64(l.max), l.limit+1/l.limit)
		if int(grown) > int(l.limit) {
			close(l.wake) // a permit more
			l.wake = make(chan struct{})
		}
		l.limit = grown
	}
}

// observe adds to a request's options a middleware that tells the limiter
// how each attempt (retries included) was answered. It changes nothing in
// the request or its answer.
func (l *limiter) observe(o *codecatalyst.Options) {
	o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
		return st.Deserialize.Add(middleware.DeserializeMiddlewareFunc("devsessions.ThrottleObserver",
			func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (
				middleware.DeserializeOutput, middleware.Metadata, error) {
				out, md, err := next.HandleDeserialize(ctx, in)
				if resp, ok := out.RawResponse.(*smithyhttp.Response); ok {
					l.attempt(resp.StatusCode == http.StatusTooManyRequests)
				}
				return out, md, err
			}), middleware.After)
	})
}
