package devsessions

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// fakeClock is a pacer's clock that tests move: sleep moves it too, and
// records how long each attempt was made to wait.
type fakeClock struct {
	t     time.Time
	slept []time.Duration
}

func (c *fakeClock) now() time.Time { return c.t }

func (c *fakeClock) sleep(_ context.Context, d time.Duration) error {
	c.slept = append(c.slept, d)
	c.t = c.t.Add(d)
	return nil
}

func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func testPacer() (*pacer, *fakeClock) {
	c := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	return &pacer{now: c.now, sleep: c.sleep}, c
}

// answer records n answers without throttling, spread evenly over d.
func answer(p *pacer, c *fakeClock, n int, d time.Duration) {
	for range n {
		p.answered(false)
		c.advance(d / time.Duration(n))
	}
}

func TestPacer(t *testing.T) {
	t.Run("does nothing until the service throttles", func(t *testing.T) {
		p, c := testPacer()
		answer(p, c, 100, time.Second)
		for range 50 {
			require.NoError(t, p.wait(t.Context()))
		}
		assert.Zero(t, p.gap)
		assert.Empty(t, c.slept, "no attempt waited")
	})
	t.Run("a throttle paces at 90% of the rate answered over the last second", func(t *testing.T) {
		p, c := testPacer()
		answer(p, c, 45, 900*time.Millisecond)
		p.answered(true)
		want := float64(time.Second) / (0.9 * 45)
		assert.InDelta(t, want, float64(p.gap), float64(time.Microsecond))
		for range 4 {
			require.NoError(t, p.wait(t.Context()))
		}
		require.Len(t, c.slept, 3, "the first attempt goes at once, each later one a gap after the one before")
		for _, d := range c.slept {
			assert.Equal(t, p.gap, d)
		}
	})
	t.Run("answers older than a second do not count", func(t *testing.T) {
		p, c := testPacer()
		answer(p, c, 400, time.Second) // a fast second long ago
		c.advance(2 * time.Second)
		answer(p, c, 45, 900*time.Millisecond)
		p.answered(true)
		assert.InDelta(t, float64(time.Second)/(0.9*45), float64(p.gap), float64(time.Microsecond))
	})
	t.Run("a throttle with nothing answered in the last second paces at the slowest", func(t *testing.T) {
		p, c := testPacer()
		answer(p, c, 45, 900*time.Millisecond)
		c.advance(3 * time.Second)
		p.answered(true)
		assert.Equal(t, maxGap, p.gap)
	})
	t.Run("throttles within cutEvery count once; a later one never speeds up", func(t *testing.T) {
		p, c := testPacer()
		answer(p, c, 45, 900*time.Millisecond)
		p.answered(true)
		gap := p.gap
		c.advance(cutEvery - time.Millisecond)
		p.answered(true)
		assert.Equal(t, gap, p.gap, "a second throttle within cutEvery changes nothing")
		answer(p, c, 200, 0) // many more answers: the measured rate is higher
		c.advance(time.Millisecond)
		p.answered(true)
		assert.Equal(t, gap+gap/8, p.gap, "never faster after a throttle")
	})
	t.Run("successes speed up only after holdAfterCut, until unpaced", func(t *testing.T) {
		p, c := testPacer()
		answer(p, c, 45, 900*time.Millisecond)
		p.answered(true)
		gap := p.gap
		c.advance(holdAfterCut - time.Millisecond)
		p.answered(false)
		assert.Equal(t, gap, p.gap, "held")
		c.advance(time.Millisecond)
		p.answered(false)
		assert.Equal(t, gap-gap/128, p.gap)
		for range 2000 {
			p.answered(false)
		}
		assert.Zero(t, p.gap, "unpaced again")
	})
	t.Run("a cancelled context ends the wait", func(t *testing.T) {
		p := newPacer()
		p.gap, p.nextStart = time.Hour, time.Now().Add(time.Hour)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		assert.ErrorIs(t, p.wait(ctx), context.Canceled)
	})
}

type codeErr string

func (e codeErr) Error() string               { return string(e) }
func (e codeErr) ErrorCode() string           { return string(e) }
func (e codeErr) ErrorMessage() string        { return string(e) }
func (codeErr) ErrorFault() smithy.ErrorFault { return smithy.FaultUnknown }
func response(status int) *smithyhttp.Response {
	return &smithyhttp.Response{Response: &http.Response{StatusCode: status}}
}
func respErr(status int, err error) error {
	return &smithyhttp.ResponseError{Response: response(status), Err: err}
}

func TestIsThrottle(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"ThrottlingException", &types.ThrottlingException{Message: aws.String("slow")}, true},
		{"another of the SDK's throttle codes", codeErr("TooManyRequestsException"), true},
		{"an unmodeled HTTP 429", respErr(429, errors.New("x")), true},
		{"a modeled HTTP 429 whose code is no throttle", respErr(429, &types.ServiceQuotaExceededException{}), false},
		{"access denied", &types.AccessDeniedException{}, false},
		{"an HTTP 500", respErr(500, errors.New("x")), false},
		{"no error", nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, isThrottle(tc.err)) })
	}
}

// Throttles scripted on chosen requests of a real client: the listing
// completes with no error, every session once and in order, the retryer
// retried the throttled attempts, and the pacer engaged (it made later
// attempts wait their turn). The pacer's sleep is recorded, not slept, so
// nothing depends on the machine's speed; rate-based figures are the
// benchmark's (BenchmarkSpaceSessionsRateLimited).
func TestSpaceSessionsUnderScriptedThrottles(t *testing.T) {
	envs, sessions := devsessionstest.DemoSpaceData(6)
	var want []string
	for _, ss := range sessions {
		want = append(want, aws.ToString(ss.Id))
	}
	throttled := []int{2, 3, 6} // ListDevEnvironmentSessions requests answered 429
	for _, tc := range []struct {
		name    string
		retryer func(*codecatalyst.Options)
	}{
		{"standard retryer", func(*codecatalyst.Options) {}},
		{"adaptive retryer", func(o *codecatalyst.Options) { o.Retryer = retry.NewAdaptiveMode() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, err := devsessionstest.NewServer(devsessionstest.ServerOptions{DevEnvironments: envs, Sessions: sessions})
			require.NoError(t, err)
			t.Cleanup(srv.Close)
			srv.ScriptOperation(devsessionstest.OpListDevEnvironments, 1, devsessionstest.Fault{Status: http.StatusTooManyRequests})
			for _, n := range throttled {
				srv.ScriptOperation(devsessionstest.OpListDevEnvironmentSessions, n, devsessionstest.Fault{Status: http.StatusTooManyRequests})
			}
			s := NewSpaceSessions(srv.Client(tc.retryer), &codecatalyst.ListDevEnvironmentsInput{SpaceName: aws.String(devsessionstest.DemoSpace)},
				func(o *SpaceSessionsOptions) { o.Concurrency, o.SessionPageSize = 2, 1 })
			var waits atomic.Int32
			r := s.newRun(t.Context(), nil)
			r.pace.sleep = func(ctx context.Context, d time.Duration) error {
				if d > 0 {
					waits.Add(1)
				}
				return ctx.Err()
			}
			var got []string
			var errs []error
			func() {
				defer r.close()
				r.loop(func(it SpaceSession, err error) bool {
					if err != nil {
						errs = append(errs, err)
					} else {
						got = append(got, aws.ToString(it.Session.Id))
					}
					return true
				})
			}()
			require.Empty(t, errs)
			assert.Equal(t, want, got, "every session once, in order")
			assert.Empty(t, s.ResumeToken(), "the listing completed")
			retried := 0
			for _, rq := range srv.Requests() {
				if !strings.HasPrefix(rq.Attempt, "attempt=1;") {
					retried++
				}
			}
			assert.Equal(t, 1+len(throttled), retried, "each throttled attempt retried once")
			assert.Positive(t, waits.Load(), "the pacer engaged: attempts after a throttle waited their turn")
		})
	}
}
