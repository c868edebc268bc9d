package devsessions

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPacer(t *testing.T) {
	t.Run("does nothing until the service throttles", func(t *testing.T) {
		var p pacer
		for range 100 {
			p.answered(false)
		}
		for range 50 {
			require.NoError(t, p.wait(t.Context()))
		}
		assert.Zero(t, p.gap)
		assert.True(t, p.nextStart.IsZero(), "no attempt was given a turn to wait for")
	})
	t.Run("a throttle paces at 90% of the rate answered over the last second", func(t *testing.T) {
		var p pacer
		for range 45 {
			p.answered(false)
		}
		p.answered(true)
		assert.InDelta(t, float64(time.Second)/(0.9*45), float64(p.gap), float64(time.Millisecond))
		start := time.Now()
		for range 4 {
			require.NoError(t, p.wait(t.Context()))
		}
		assert.GreaterOrEqual(t, time.Since(start), 3*p.gap, "attempts start a gap apart")
	})
	t.Run("throttles within cutEvery count once; a later one never speeds up", func(t *testing.T) {
		var p pacer
		for range 45 {
			p.answered(false)
		}
		p.answered(true)
		gap := p.gap
		p.answered(true)
		assert.Equal(t, gap, p.gap, "a second throttle at once changes nothing")
		p.lastCut = p.lastCut.Add(-cutEvery)
		for range 200 {
			p.answered(false) // many more answers: the measured rate is higher
		}
		p.answered(true)
		assert.Equal(t, gap+gap/8, p.gap, "never faster after a throttle")
	})
	t.Run("successes speed up only after holdAfterCut, until unpaced", func(t *testing.T) {
		var p pacer
		for range 45 {
			p.answered(false)
		}
		p.answered(true)
		gap := p.gap
		p.answered(false)
		assert.Equal(t, gap, p.gap, "held")
		p.lastCut = p.lastCut.Add(-holdAfterCut)
		p.answered(false)
		assert.Equal(t, gap-gap/128, p.gap)
		for range 2000 {
			p.answered(false)
		}
		assert.Zero(t, p.gap, "unpaced again")
	})
	t.Run("a cancelled context ends the wait", func(t *testing.T) {
		p := pacer{gap: time.Hour}
		p.nextStart = time.Now().Add(time.Hour)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		assert.ErrorIs(t, p.wait(ctx), context.Canceled)
	})
}

func TestIsThrottle(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"ThrottlingException", &types.ThrottlingException{Message: aws.String("slow")}, true},
		{"an HTTP 429", &smithyhttp.ResponseError{Response: &smithyhttp.Response{Response: &http.Response{StatusCode: 429}}, Err: errors.New("x")}, true},
		{"access denied", &types.AccessDeniedException{}, false},
		{"an HTTP 500", &smithyhttp.ResponseError{Response: &smithyhttp.Response{Response: &http.Response{StatusCode: 500}}, Err: errors.New("x")}, false},
		{"no error", nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, isThrottle(tc.err)) })
	}
}
