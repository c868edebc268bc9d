package devsessions

import (
	"sync/atomic"
	"time"
)

// ListingStats is what a space-wide listing has done so far. Every count
// only grows.
type ListingStats struct {
	// DevEnvironmentsListed counts the dev environments ListDevEnvironments
	// gave (a listing read again gives them again).
	DevEnvironmentsListed int64
	// DevEnvironmentsPassedOver counts those of them whose sessions were not
	// asked for: a status not in Statuses, delivered in full by an earlier
	// run, or given again in the same run.
	DevEnvironmentsPassedOver int64
	// SessionsDelivered counts the sessions yielded.
	SessionsDelivered int64
	// Requests counts the requests sent to the client, of every operation
	// (ListDevEnvironments, ListDevEnvironmentSessions, GetUserDetails); a
	// request the client's retryer retries counts once.
	Requests int64
	// Throttled counts the attempts the service throttled (HTTP 429 or a
	// throttling error code), and PacerWait the time attempts waited on the
	// pacer; both are counted by the middleware the listing adds, so they
	// stay 0 with a client that runs no middleware (a fake).
	Throttled int64
	PacerWait time.Duration
}

// listingCounters is where a listing counts, atomically.
type listingCounters struct {
	listed, passedOver, delivered, requests, throttled, pacerWait atomic.Int64
}

func (c *listingCounters) snapshot() ListingStats {
	return ListingStats{
		DevEnvironmentsListed: c.listed.Load(), DevEnvironmentsPassedOver: c.passedOver.Load(),
		SessionsDelivered: c.delivered.Load(), Requests: c.requests.Load(),
		Throttled: c.throttled.Load(), PacerWait: time.Duration(c.pacerWait.Load()),
	}
}

// add returns the sums of s's and o's counts.
func (s ListingStats) add(o ListingStats) ListingStats {
	return ListingStats{
		DevEnvironmentsListed:     s.DevEnvironmentsListed + o.DevEnvironmentsListed,
		DevEnvironmentsPassedOver: s.DevEnvironmentsPassedOver + o.DevEnvironmentsPassedOver,
		SessionsDelivered:         s.SessionsDelivered + o.SessionsDelivered,
		Requests:                  s.Requests + o.Requests,
		Throttled:                 s.Throttled + o.Throttled,
		PacerWait:                 s.PacerWait + o.PacerWait,
	}
}

// Stats returns what the listing has done so far, over all its loops. It
// is safe to call from any goroutine, during a loop too (a progress line,
// a metrics exporter), and costs six atomic loads; the counting costs one
// atomic add per request, dev environment, session, throttled attempt and
// pacer wait. The counts of one snapshot are each exact when read but not
// read at one instant: during a loop, a request may be counted whose
// sessions are not yet.
func (s *SpaceSessions) Stats() ListingStats {
	return s.stats.snapshot()
}
