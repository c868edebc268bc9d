package main

import (
	"context"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"

	"github.com/codecatalyst-contrib/devsessions"
)

// watch polls the space or project until ctx is done (a signal), printing
// one JSON object per line for each session that starts or ends, each line
// written (and so flushed) as it happens. A failed poll or dev environment
// is reported on standard error and the watch goes on. When a signal stops
// it, it prints the checkpoint to resume from on standard error and
// returns 0. With --older-than D, a session is announced once it is older
// than D (the watcher's OlderThan). When a line cannot be written, the
// event is taken back (Undo), so that the checkpoint printed announces it
// again, and it returns 1.
func (c command) watch(ctx context.Context, f flags, client *codecatalyst.Client) int {
	in := &codecatalyst.ListDevEnvironmentsInput{SpaceName: &f.space}
	if f.project != "" {
		in.ProjectName = &f.project
	}
	w := devsessions.NewSessionWatcher(client, in, func(o *devsessions.SessionWatcherOptions) {
		o.Interval, o.Checkpoint, o.Concurrency, o.Statuses = f.interval, f.checkpoint, f.concurrency, f.statuses
		o.DevEnvironmentPageSize, o.SessionPageSize = int32(f.envPageSize), int32(f.pageSize)
		o.OlderThan = f.olderThan
		o.ResolveCreators = true // who: the "creator" of each line
	})
	var b strings.Builder
	for ev, err := range w.Events(ctx) {
		if err != nil {
			if errors.Is(err, devsessions.ErrInvalidParameter) || errors.Is(err, devsessions.ErrInvalidCheckpoint) {
				c.say("%s", describeWatchInput(err))
				return exitUsage
			}
			op, env := "ListDevEnvironments", ""
			var envErr *devsessions.DevEnvironmentError
			if errors.As(err, &envErr) {
				op = "ListDevEnvironmentSessions"
				env = aws.ToString(envErr.DevEnvironment.Id) + " (" + devEnvLabel(envErr.DevEnvironment) + ") in project " +
					aws.ToString(envErr.DevEnvironment.ProjectName)
			}
			c.say("%s; nothing is ended for what could not be listed, and the watch goes on", describe(err, op, env))
			continue
		}
		b.Reset()
		writeCompactJSON(&b, eventValue(ev))
		b.WriteByte('\n')
		if _, err := io.WriteString(c.stdout, b.String()); err != nil {
			_ = w.Undo(ev) // the event just yielded: never ErrNotLastEvent
			c.say("writing the output: %v; resume with --checkpoint %s", err, w.Checkpoint())
			return exitFailed
		}
	}
	reason := "stopped"
	if in, ok := interruption(ctx); ok {
		reason = "stopped by " + signalName(in.sig)
	}
	c.say("%s; resume with --checkpoint %s", reason, w.Checkpoint())
	return exitOK
}

// startedBefore reports whether s started more than d before now (always,
// when d is 0; never, when its start is unknown and d is not 0).
func startedBefore(s devsessions.SpaceSession, now time.Time, d time.Duration) bool {
	if d == 0 {
		return true
	}
	return s.Session.StartedTime != nil && now.Sub(*s.Session.StartedTime) > d
}

// eventValue is one event's line: "event", then the space-wide item's keys
// (the session's, "devEnvironment"), then "creator": the dev environment's
// creator, its "id" always, its "userName", "displayName" and "email" when
// GetUserDetails answered.
func eventValue(ev devsessions.SessionEvent) object {
	c := ev.Session.Creator
	creator := object{{"id", c.ID}}
	for _, f := range []field{{"userName", c.UserName}, {"displayName", c.DisplayName}, {"email", c.Email}} {
		if f.val != "" {
			creator = append(creator, f)
		}
	}
	return append(append(object{{"event", ev.Kind.String()}}, spaceValue(ev.Session)...), field{"creator", creator})
}

// describeWatchInput words input --watch refused: mostly a --checkpoint.
func describeWatchInput(err error) string {
	if errors.Is(err, devsessions.ErrInvalidCheckpoint) {
		detail := strings.TrimPrefix(oneLine(err), "invalid checkpoint: ")
		return "--checkpoint is not one a --watch of this space or project printed (" + detail +
			"): pass it whole, or omit --checkpoint to start over (the first poll then announces every session)"
	}
	return oneLine(err)
}

// writeCompactJSON writes v as one line of JSON, the keys in order.
func writeCompactJSON(b *strings.Builder, v value) {
	switch c := v.(type) {
	case object:
		b.WriteByte('{')
		for i, f := range c {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, f.key)
			b.WriteByte(':')
			writeCompactJSON(b, f.val)
		}
		b.WriteByte('}')
	case []value:
		b.WriteByte('[')
		for i, it := range c {
			if i > 0 {
				b.WriteByte(',')
			}
			writeCompactJSON(b, it)
		}
		b.WriteByte(']')
	case string:
		writeJSONString(b, c)
	default:
		b.WriteString("null")
	}
}
