package devsessions_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// swapSpace is a client whose space a test replaces between polls: every
// call goes to the current client (a fake, or a wrapper of one).
type swapSpace struct {
	mu sync.Mutex
	c  devsessions.SpaceSessionsAPIClient
}

func newSwapSpace(envs []types.DevEnvironmentSummary, sessions []types.DevEnvironmentSessionSummary) *swapSpace {
	return &swapSpace{c: devsessionstest.NewSpaceClient(envs, sessions)}
}

func (l *swapSpace) set(c devsessions.SpaceSessionsAPIClient) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.c = c
}

func (l *swapSpace) current() devsessions.SpaceSessionsAPIClient {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.c
}

// fake is the current client, a fake.
func (l *swapSpace) fake() *devsessionstest.Client { return l.current().(*devsessionstest.Client) }

func (l *swapSpace) ListDevEnvironments(ctx context.Context, in *codecatalyst.ListDevEnvironmentsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentsOutput, error) {
	return l.current().ListDevEnvironments(ctx, in, optFns...)
}

func (l *swapSpace) ListDevEnvironmentSessions(ctx context.Context, in *codecatalyst.ListDevEnvironmentSessionsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	return l.current().ListDevEnvironmentSessions(ctx, in, optFns...)
}

// watchedSpace is the whole demo space.
func watchedSpace() *codecatalyst.ListDevEnvironmentsInput {
	return &codecatalyst.ListDevEnvironmentsInput{SpaceName: aws.String(devsessionstest.DemoSpace)}
}

// watched is what one poll yielded: events as "started <session id>" or
// "ended <session id>", errors as "error <text>".
type watched struct {
	lines  []string
	events []devsessions.SessionEvent
	errs   []error
}

func eventLine(ev devsessions.SessionEvent, err error) string {
	if err != nil {
		return "error " + err.Error()
	}
	return ev.Kind.String() + " " + aws.ToString(ev.Session.Session.Id)
}

// watchPolls runs w for polls polls (cancelling its context in the sleep after
// the last), calling between(i) after poll i (from 1) in the other sleeps.
// It returns what each poll yielded and the sleeps' durations.
func watchPolls(t *testing.T, w *devsessions.SessionWatcher, polls int, between func(poll int)) ([]watched, []time.Duration) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	out := []watched{{}}
	var sleeps []time.Duration
	devsessions.SetWatcherSleep(w, func(ctx context.Context, d time.Duration) error {
		sleeps = append(sleeps, d)
		if len(out) == polls {
			cancel()
			return ctx.Err()
		}
		if between != nil {
			between(len(out))
		}
		out = append(out, watched{})
		return nil
	})
	for ev, err := range w.Events(ctx) {
		cur := &out[len(out)-1]
		cur.lines = append(cur.lines, eventLine(ev, err))
		if err != nil {
			cur.errs = append(cur.errs, err)
		} else {
			cur.events = append(cur.events, ev)
		}
	}
	return out, sleeps
}

func startedLines(ids ...string) []string { return prefixed("started ", ids) }
func endedLines(ids ...string) []string   { return prefixed("ended ", ids) }

func prefixed(p string, ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = p + id
	}
	return out
}

// demoSessionIDs are the session ids of the demo space with n sessions on
// the demo dev environment, in listing order.
func demoSessionIDs(n int) []string {
	_, sessions := devsessionstest.DemoSpaceData(n)
	var out []string
	for _, s := range sessions {
		out = append(out, aws.ToString(s.Id))
	}
	return out
}

func TestSessionWatcherFirstPollAnnouncesEverySessionInListingOrder(t *testing.T) {
	envs, sessions := devsessionstest.DemoSpaceData(3)
	client := devsessionstest.NewSpaceClient(envs, sessions)
	w := devsessions.NewSessionWatcher(client, watchedSpace())
	polls, _ := watchPolls(t, w, 1, nil)
	require.Len(t, polls, 1)
	assert.Equal(t, startedLines(demoSessionIDs(3)...), polls[0].lines)

	want, err := devsessions.NewSpaceSessions(client, watchedSpace()).Collect(t.Context())
	require.NoError(t, err)
	got := make([]devsessions.SpaceSession, len(polls[0].events))
	for i, ev := range polls[0].events {
		got[i] = ev.Session
	}
	assert.Equal(t, want, got, "a started event carries the session as the listing delivers it")
}

// demoEnv returns the index of the demo dev environment with that alias.
func demoEnv(t *testing.T, envs []types.DevEnvironmentSummary, alias string) int {
	t.Helper()
	i := slices.IndexFunc(envs, func(e types.DevEnvironmentSummary) bool { return aws.ToString(e.Alias) == alias })
	require.GreaterOrEqual(t, i, 0, alias)
	return i
}

// withoutSessionsOf drops the sessions of the dev environment id.
func withoutSessionsOf(sessions []types.DevEnvironmentSessionSummary, id string) []types.DevEnvironmentSessionSummary {
	return slices.DeleteFunc(slices.Clone(sessions), func(s types.DevEnvironmentSessionSummary) bool {
		return aws.ToString(s.DevEnvironmentId) == id
	})
}

func TestSessionWatcherAnnouncesWhatChangedBetweenPolls(t *testing.T) {
	cases := map[string]struct {
		change func(t *testing.T, envs []types.DevEnvironmentSummary, sessions []types.DevEnvironmentSessionSummary) (
			[]types.DevEnvironmentSummary, []types.DevEnvironmentSessionSummary)
		want []string
	}{
		"nothing changes: nothing is announced": {
			change: func(_ *testing.T, e []types.DevEnvironmentSummary, s []types.DevEnvironmentSessionSummary) (
				[]types.DevEnvironmentSummary, []types.DevEnvironmentSessionSummary) {
				return e, s
			},
			want: nil,
		},
		"a session ends": {
			change: func(_ *testing.T, e []types.DevEnvironmentSummary, s []types.DevEnvironmentSessionSummary) (
				[]types.DevEnvironmentSummary, []types.DevEnvironmentSessionSummary) {
				return e, slices.DeleteFunc(slices.Clone(s), func(x types.DevEnvironmentSessionSummary) bool {
					return aws.ToString(x.Id) == "sess-pay-main-01"
				})
			},
			want: endedLines("sess-pay-main-01"),
		},
		"a session starts": {
			change: func(_ *testing.T, e []types.DevEnvironmentSummary, s []types.DevEnvironmentSessionSummary) (
				[]types.DevEnvironmentSummary, []types.DevEnvironmentSessionSummary) {
				n := s[len(s)-1]
				n.Id = aws.String("sess-new")
				return e, append(slices.Clone(s), n)
			},
			want: startedLines("sess-new"),
		},
		"a dev environment stops: its sessions end, though the service would still list them": {
			change: func(t *testing.T, e []types.DevEnvironmentSummary, s []types.DevEnvironmentSessionSummary) (
				[]types.DevEnvironmentSummary, []types.DevEnvironmentSessionSummary) {
				e = slices.Clone(e)
				e[demoEnv(t, e, "web-a11y")].Status = types.DevEnvironmentStatusStopped
				return e, s
			},
			want: endedLines("sess-web-a11y-00", "sess-web-a11y-01"),
		},
		"a dev environment is deleted: its sessions end": {
			change: func(t *testing.T, e []types.DevEnvironmentSummary, s []types.DevEnvironmentSessionSummary) (
				[]types.DevEnvironmentSummary, []types.DevEnvironmentSessionSummary) {
				i := demoEnv(t, e, "pay-main")
				id := aws.ToString(e[i].Id)
				return slices.Delete(slices.Clone(e), i, i+1), withoutSessionsOf(s, id)
			},
			want: endedLines("sess-pay-main-00", "sess-pay-main-01", "sess-pay-main-02"),
		},
		"a dev environment starts: its sessions start": {
			change: func(t *testing.T, e []types.DevEnvironmentSummary, s []types.DevEnvironmentSessionSummary) (
				[]types.DevEnvironmentSummary, []types.DevEnvironmentSessionSummary) {
				e = slices.Clone(e)
				i := demoEnv(t, e, "notebook")
				e[i].Status = types.DevEnvironmentStatusRunning
				n := s[0]
				n.Id, n.DevEnvironmentId = aws.String("sess-notebook-00"), e[i].Id
				return e, append(slices.Clone(s), n)
			},
			want: startedLines("sess-notebook-00"),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			envs, sessions := devsessionstest.DemoSpaceData(2)
			space := newSwapSpace(envs, sessions)
			w := devsessions.NewSessionWatcher(space, watchedSpace())
			polls, _ := watchPolls(t, w, 3, func(poll int) {
				if poll == 1 {
					space.set(devsessionstest.NewSpaceClient(tc.change(t, envs, sessions)))
				}
			})
			require.Len(t, polls, 3)
			assert.Equal(t, startedLines(demoSessionIDs(2)...), polls[0].lines)
			assert.Equal(t, tc.want, polls[1].lines)
			assert.Empty(t, polls[2].lines, "a change is announced once")
		})
	}
}

func TestSessionWatcherEndedEventCarriesTheSessionAsLastSeen(t *testing.T) {
	envs, sessions := devsessionstest.DemoSpaceData(2)
	space := newSwapSpace(envs, sessions)
	w := devsessions.NewSessionWatcher(space, watchedSpace())
	i := demoEnv(t, envs, "docs")
	renamed := slices.Clone(envs)
	renamed[i].Alias = aws.String("docs-renamed")
	stopped := slices.Clone(renamed)
	stopped[i].Status = types.DevEnvironmentStatusStopped
	polls, _ := watchPolls(t, w, 3, func(poll int) {
		switch poll {
		case 1:
			space.set(devsessionstest.NewSpaceClient(renamed, sessions))
		case 2:
			space.set(devsessionstest.NewSpaceClient(stopped, sessions))
		}
	})
	require.Len(t, polls, 3)
	assert.Empty(t, polls[1].lines)
	require.Equal(t, endedLines("sess-docs-00", "sess-docs-01"), polls[2].lines)
	for _, ev := range polls[2].events {
		assert.Equal(t, renamed[i], ev.Session.DevEnvironment, "the dev environment as last seen: renamed, still RUNNING")
		want := sessions[slices.IndexFunc(sessions, func(s types.DevEnvironmentSessionSummary) bool {
			return aws.ToString(s.Id) == aws.ToString(ev.Session.Session.Id)
		})]
		assert.Equal(t, want, ev.Session.Session)
	}
}

// errUnavailable stands for any failure of a request.
var errUnavailable = errors.New("service unavailable")

func TestSessionWatcherNotSeenIsNotEnded(t *testing.T) {
	envs, sessions := devsessionstest.DemoSpaceData(2)
	// Poll 2 sees every session ended; what it can announce depends on what
	// it could list.
	none := []types.DevEnvironmentSessionSummary{}
	t.Run("a dev environment whose sessions cannot be listed keeps them", func(t *testing.T) {
		space := newSwapSpace(envs, sessions)
		w := devsessions.NewSessionWatcher(space, watchedSpace())
		failing := aws.ToString(envs[demoEnv(t, envs, "web-main")].Id)
		polls, _ := watchPolls(t, w, 3, func(poll int) {
			c := devsessionstest.NewSpaceClient(envs, none)
			if poll == 1 {
				c.ScriptDevEnvironment(failing, 1, devsessionstest.Fault{Err: errUnavailable})
			}
			space.set(c)
		})
		require.Len(t, polls, 3)
		require.Len(t, polls[1].errs, 1)
		var envErr *devsessions.DevEnvironmentError
		require.ErrorAs(t, polls[1].errs[0], &envErr)
		assert.Equal(t, failing, aws.ToString(envErr.DevEnvironment.Id))
		assert.ErrorIs(t, polls[1].errs[0], errUnavailable)
		var endedIDs []string
		for _, ev := range polls[1].events {
			assert.Equal(t, devsessions.SessionEnded, ev.Kind)
			assert.NotEqual(t, "web-main", aws.ToString(ev.Session.DevEnvironment.Alias), "nothing is announced about the failed dev environment")
			endedIDs = append(endedIDs, aws.ToString(ev.Session.Session.Id))
		}
		assert.Len(t, endedIDs, len(sessions)-4, "the others' sessions end")
		assert.Equal(t, endedLines("sess-web-main-00", "sess-web-main-01", "sess-web-main-02", "sess-web-main-03"), polls[2].lines,
			"listed again, its sessions end")
	})
	t.Run("a poll whose ListDevEnvironments fails announces no end", func(t *testing.T) {
		space := newSwapSpace(envs, sessions)
		w := devsessions.NewSessionWatcher(space, watchedSpace(), func(o *devsessions.SessionWatcherOptions) {
			o.DevEnvironmentPageSize = 5
		})
		added := types.DevEnvironmentSessionSummary{
			SpaceName: aws.String(devsessionstest.DemoSpace), ProjectName: aws.String(devsessionstest.DemoProject),
			DevEnvironmentId: aws.String(devsessionstest.DemoDevEnvironment), Id: aws.String("sess-new"),
		}
		polls, _ := watchPolls(t, w, 3, func(poll int) {
			if poll == 1 {
				// The first page (5 dev environments) lists a new session and
				// none of the others; the second page fails.
				c := devsessionstest.NewSpaceClient(envs, []types.DevEnvironmentSessionSummary{added})
				c.ScriptOperation(devsessionstest.OpListDevEnvironments, 2, devsessionstest.Fault{Err: errUnavailable})
				space.set(c)
				return
			}
			space.set(devsessionstest.NewSpaceClient(envs, none))
		})
		require.Len(t, polls, 3)
		require.Equal(t, startedLines("sess-new"), polls[1].lines[:1])
		require.Len(t, polls[1].lines, 2)
		require.Len(t, polls[1].errs, 1)
		assert.ErrorIs(t, polls[1].errs[0], errUnavailable)
		var envErr *devsessions.DevEnvironmentError
		assert.False(t, errors.As(polls[1].errs[0], &envErr), "a failed listing is not a dev environment's error")
		want := endedLines(append(sessionIDsByEnv(sessions), "sess-new")...)
		slices.Sort(want)
		assert.Equal(t, want, sortedLines(polls[2]), "the next complete poll ends them all")
	})
}

// sessionIDsByEnv returns the session ids in the watcher's end order (dev
// environment id, then session id).
func sessionIDsByEnv(sessions []types.DevEnvironmentSessionSummary) []string {
	s := slices.Clone(sessions)
	slices.SortFunc(s, func(a, b types.DevEnvironmentSessionSummary) int {
		return strings.Compare(aws.ToString(a.DevEnvironmentId)+" "+aws.ToString(a.Id), aws.ToString(b.DevEnvironmentId)+" "+aws.ToString(b.Id))
	})
	var out []string
	for _, x := range s {
		out = append(out, aws.ToString(x.Id))
	}
	return out
}

func sortedLines(w watched) []string {
	out := slices.Clone(w.lines)
	slices.Sort(out)
	return out
}

func TestSessionWatcherEndsInDevEnvironmentThenSessionIDOrder(t *testing.T) {
	envs, sessions := devsessionstest.DemoSpaceData(3)
	space := newSwapSpace(envs, sessions)
	w := devsessions.NewSessionWatcher(space, watchedSpace())
	polls, _ := watchPolls(t, w, 2, func(int) {
		space.set(devsessionstest.NewSpaceClient(envs, nil))
	})
	require.Len(t, polls, 2)
	assert.Equal(t, endedLines(sessionIDsByEnv(sessions)...), polls[1].lines)
}

func TestSessionWatcherWaitsIntervalAfterEachPoll(t *testing.T) {
	cases := map[string]struct {
		interval, want time.Duration
	}{
		"0 means a minute": {0, time.Minute},
		"as set":           {5 * time.Second, 5 * time.Second},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			envs, sessions := devsessionstest.DemoSpaceData(1)
			client := devsessionstest.NewSpaceClient(envs, sessions)
			w := devsessions.NewSessionWatcher(client, watchedSpace(), func(o *devsessions.SessionWatcherOptions) { o.Interval = tc.interval })
			var calls []int
			_, sleeps := watchPolls(t, w, 3, func(int) { calls = append(calls, client.Calls()) })
			assert.Equal(t, []time.Duration{tc.want, tc.want, tc.want}, sleeps)
			perPoll := 1 + 7 // one page of dev environments, one of sessions per RUNNING one
			assert.Equal(t, []int{perPoll, 2 * perPoll}, calls, "the first poll at once, one poll per interval, each one space listing")
		})
	}
}

func TestSessionWatcherWaitsOnARealTimerUntilContextDone(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	envs, sessions := devsessionstest.DemoSpaceData(1)
	client := devsessionstest.NewSpaceClient(envs, sessions)
	w := devsessions.NewSessionWatcher(client, watchedSpace(), func(o *devsessions.SessionWatcherOptions) { o.Interval = time.Hour })
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	n := 0
	for _, err := range w.Events(ctx) {
		require.NoError(t, err)
		if n++; n == len(sessions) {
			cancel() // the loop is about to wait an hour: ctx ends the wait
		}
	}
	assert.Equal(t, len(sessions), n)
	assert.Equal(t, 1+7, client.Calls(), "one poll")
}

func TestSessionWatcherStopsQuietlyWhenContextDoneMidPoll(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	envs, sessions := devsessionstest.DemoSpaceData(3)
	client := devsessionstest.NewSpaceClient(envs, sessions)
	client.Latency = time.Millisecond
	w := devsessions.NewSessionWatcher(client, watchedSpace(), func(o *devsessions.SessionWatcherOptions) { o.Concurrency = 1 })
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var got []string
	for ev, err := range w.Events(ctx) {
		require.NoError(t, err, "a watcher stopped by its context yields no error")
		got = append(got, eventLine(ev, err))
		cancel()
	}
	require.Equal(t, startedLines(demoSessionIDs(3)[0]), got, "nothing after the cancel")

	// What was yielded is known: the next loop announces the rest only.
	polls, _ := watchPolls(t, w, 1, nil)
	assert.Equal(t, startedLines(demoSessionIDs(3)[1:]...), polls[0].lines)
}

func TestSessionWatcherStopsQuietlyWhenContextDoneAmongTheEnds(t *testing.T) {
	envs, sessions := devsessionstest.DemoSpaceData(3)
	space := newSwapSpace(envs, sessions)
	w := devsessions.NewSessionWatcher(space, watchedSpace())
	watchPolls(t, w, 1, nil)
	space.set(devsessionstest.NewSpaceClient(envs, nil)) // every session ends
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var got []string
	for ev, err := range w.Events(ctx) {
		require.NoError(t, err)
		got = append(got, eventLine(ev, err))
		cancel()
	}
	order := sessionIDsByEnv(sessions)
	require.Equal(t, endedLines(order[0]), got, "nothing after the cancel")
	polls, _ := watchPolls(t, w, 1, nil)
	assert.Equal(t, endedLines(order[1:]...), polls[0].lines, "the rest end in the next loop")
}

func TestSessionWatcherBreakKeepsWhatWasYielded(t *testing.T) {
	envs, sessions := devsessionstest.DemoSpaceData(3)
	all := demoSessionIDs(3)
	space := newSwapSpace(envs, sessions)
	w := devsessions.NewSessionWatcher(space, watchedSpace())
	var got []string
	for ev, err := range w.Events(t.Context()) {
		require.NoError(t, err)
		got = append(got, eventLine(ev, err))
		if len(got) == 2 {
			break
		}
	}
	require.Equal(t, startedLines(all[:2]...), got)
	polls, _ := watchPolls(t, w, 1, nil)
	require.Equal(t, startedLines(all[2:]...), polls[0].lines, "a later loop goes on from what was yielded")

	// Break after the first end: the others end once, later.
	space.set(devsessionstest.NewSpaceClient(envs, nil))
	got = nil
	for ev, err := range w.Events(t.Context()) {
		require.NoError(t, err)
		got = append(got, eventLine(ev, err))
		break
	}
	order := sessionIDsByEnv(sessions)
	require.Equal(t, endedLines(order[0]), got)
	polls, _ = watchPolls(t, w, 2, nil)
	assert.Equal(t, endedLines(order[1:]...), polls[0].lines)
	assert.Empty(t, polls[1].lines)
}

func TestSessionWatcherFromCheckpointAnnouncesOnlyChanges(t *testing.T) {
	envs, sessions := devsessionstest.DemoSpaceData(3)
	space := newSwapSpace(envs, sessions)
	first := devsessions.NewSessionWatcher(space, watchedSpace())
	watchPolls(t, first, 1, nil)
	cp := first.Checkpoint()
	require.True(t, strings.HasPrefix(cp, "dsw2."), cp)

	again := devsessions.NewSessionWatcher(space, watchedSpace(), func(o *devsessions.SessionWatcherOptions) { o.Checkpoint = cp })
	assert.Equal(t, cp, again.Checkpoint(), "before its first poll a watcher knows what its checkpoint held")
	polls, _ := watchPolls(t, again, 1, nil)
	assert.Empty(t, polls[0].lines, "a restarted watcher re-announces nothing")
	assert.Equal(t, cp, again.Checkpoint())

	// Now docs is deleted and a session starts on demo.
	i := demoEnv(t, envs, "docs")
	docs := envs[i]
	changed := append(withoutSessionsOf(sessions, aws.ToString(docs.Id)), types.DevEnvironmentSessionSummary{
		SpaceName: aws.String(devsessionstest.DemoSpace), ProjectName: aws.String(devsessionstest.DemoProject),
		DevEnvironmentId: aws.String(devsessionstest.DemoDevEnvironment), Id: aws.String("sess-new"),
	})
	space.set(devsessionstest.NewSpaceClient(slices.Delete(slices.Clone(envs), i, i+1), changed))
	third := devsessions.NewSessionWatcher(space, watchedSpace(), func(o *devsessions.SessionWatcherOptions) { o.Checkpoint = cp })
	polls, _ = watchPolls(t, third, 1, nil)
	require.Equal(t, append(startedLines("sess-new"), endedLines("sess-docs-00", "sess-docs-01")...), polls[0].lines)
	// An end known only from the checkpoint carries what the checkpoint keeps.
	for _, ev := range polls[0].events[1:] {
		want := sessions[slices.IndexFunc(sessions, func(s types.DevEnvironmentSessionSummary) bool {
			return aws.ToString(s.Id) == aws.ToString(ev.Session.Session.Id)
		})]
		assert.Equal(t, devsessions.SpaceSession{
			DevEnvironment: types.DevEnvironmentSummary{Id: docs.Id, SpaceName: docs.SpaceName, ProjectName: docs.ProjectName,
				Alias: docs.Alias, CreatorId: docs.CreatorId},
			Session: want,
			Creator: devsessions.User{ID: aws.ToString(docs.CreatorId)},
		}, ev.Session)
	}
}

func TestSessionWatcherInvalidInputBeforeAnyRequest(t *testing.T) {
	envs, sessions := devsessionstest.DemoSpaceData(1)
	other := devsessions.NewSessionWatcher(devsessionstest.NewSpaceClient(envs, sessions), &codecatalyst.ListDevEnvironmentsInput{
		SpaceName: aws.String(devsessionstest.DemoSpace), ProjectName: aws.String(devsessionstest.DemoProject),
	})
	watchPolls(t, other, 1, nil)
	projectCheckpoint := other.Checkpoint()
	whole := devsessions.NewSessionWatcher(devsessionstest.NewSpaceClient(envs, sessions), watchedSpace())
	watchPolls(t, whole, 1, nil)
	spaceCheckpoint := whole.Checkpoint()
	cases := map[string]struct {
		nilClient bool
		params    *codecatalyst.ListDevEnvironmentsInput
		opt       func(*devsessions.SessionWatcherOptions)
		is        error
		says      string
	}{
		"nil client": {nilClient: true, is: devsessions.ErrInvalidParameter, says: "client is nil"},
		"nil params": {params: nil, is: devsessions.ErrInvalidParameter, says: "params is nil"},
		"nil params with a checkpoint": {opt: func(o *devsessions.SessionWatcherOptions) { o.Checkpoint = spaceCheckpoint },
			is: devsessions.ErrInvalidParameter, says: "params is nil"},
		"empty space name with a checkpoint": {params: &codecatalyst.ListDevEnvironmentsInput{SpaceName: aws.String("")},
			opt: func(o *devsessions.SessionWatcherOptions) { o.Checkpoint = spaceCheckpoint },
			is:  devsessions.ErrInvalidParameter, says: "SpaceName"},
		"negative older-than": {opt: func(o *devsessions.SessionWatcherOptions) { o.OlderThan = -time.Second },
			is: devsessions.ErrInvalidParameter, says: "OlderThan must not be negative"},
		"an earlier version": {opt: func(o *devsessions.SessionWatcherOptions) { o.Checkpoint = "dsw1.FGRlbW8tc3BhY2UAAA" },
			is: devsessions.ErrInvalidCheckpoint, says: `"dsw1" (of a development version, without a checksum) is no longer read`},
		"negative interval": {opt: func(o *devsessions.SessionWatcherOptions) { o.Interval = -time.Second },
			is: devsessions.ErrInvalidParameter, says: "Interval must not be negative"},
		"concurrency out of range": {opt: func(o *devsessions.SessionWatcherOptions) { o.Concurrency = 65 },
			is: devsessions.ErrInvalidParameter, says: "Concurrency"},
		"empty statuses": {opt: func(o *devsessions.SessionWatcherOptions) { o.Statuses = []types.DevEnvironmentStatus{} },
			is: devsessions.ErrInvalidParameter, says: "Statuses"},
		"not a checkpoint": {opt: func(o *devsessions.SessionWatcherOptions) { o.Checkpoint = "dss1.abc" },
			is: devsessions.ErrInvalidCheckpoint, says: `starts with "dsw2."`},
		"unknown version": {opt: func(o *devsessions.SessionWatcherOptions) { o.Checkpoint = "dsw9.AAAA" },
			is: devsessions.ErrInvalidCheckpoint, says: `version "dsw9"`},
		"damaged": {opt: func(o *devsessions.SessionWatcherOptions) { o.Checkpoint = spaceCheckpoint[:len(spaceCheckpoint)-4] },
			is: devsessions.ErrInvalidCheckpoint, says: "damaged"},
		"not base64": {opt: func(o *devsessions.SessionWatcherOptions) { o.Checkpoint = "dsw2.***" },
			is: devsessions.ErrInvalidCheckpoint, says: "base64url"},
		"made for another scope": {opt: func(o *devsessions.SessionWatcherOptions) { o.Checkpoint = projectCheckpoint },
			is: devsessions.ErrInvalidCheckpoint, says: `made for project "demo-project" of space "demo-space", not for space "demo-space"`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			fake := devsessionstest.NewSpaceClient(envs, sessions)
			var client devsessions.SpaceSessionsAPIClient = fake
			if tc.nilClient {
				client = nil
			}
			params := watchedSpace()
			switch {
			case tc.params != nil:
				params = tc.params
			case strings.HasPrefix(name, "nil params"):
				params = nil
			}
			var optFns []func(*devsessions.SessionWatcherOptions)
			if tc.opt != nil {
				optFns = append(optFns, tc.opt)
			}
			var given devsessions.SessionWatcherOptions
			for _, fn := range optFns {
				fn(&given)
			}
			w := devsessions.NewSessionWatcher(client, params, optFns...)
			assert.Equal(t, given.Checkpoint, w.Checkpoint(), "before the first poll, the checkpoint given")
			for range 2 { // every loop says so
				var errs []error
				for ev, err := range w.Events(t.Context()) {
					require.Error(t, err, "no event: %v", ev)
					errs = append(errs, err)
				}
				require.Len(t, errs, 1)
				assert.ErrorIs(t, errs[0], tc.is)
				assert.Contains(t, errs[0].Error(), tc.says)
			}
			assert.Zero(t, fake.Calls(), "no request")
			assert.Equal(t, given.Checkpoint, w.Checkpoint(), "the checkpoint given is kept while the input is invalid")
		})
	}
}

func TestSessionWatcherLeavesCallersInputAlone(t *testing.T) {
	envs, sessions := devsessionstest.DemoSpaceData(1)
	client := devsessionstest.NewSpaceClient(envs, sessions)
	params := &codecatalyst.ListDevEnvironmentsInput{SpaceName: aws.String(devsessionstest.DemoSpace)}
	statuses := []types.DevEnvironmentStatus{types.DevEnvironmentStatusRunning}
	w := devsessions.NewSessionWatcher(client, params, func(o *devsessions.SessionWatcherOptions) { o.Statuses = statuses })
	// Changing them after the constructor changes nothing.
	*params.SpaceName = "elsewhere"
	params.ProjectName = aws.String(devsessionstest.DemoWebProject)
	statuses[0] = types.DevEnvironmentStatusStopped
	polls, _ := watchPolls(t, w, 1, nil)
	assert.Equal(t, startedLines(demoSessionIDs(1)...), polls[0].lines)
	for _, r := range client.Requests() {
		assert.Equal(t, devsessionstest.DemoSpace, r.SpaceName)
		if r.Operation == devsessionstest.OpListDevEnvironments {
			assert.Empty(t, r.ProjectName)
		}
	}
	assert.Equal(t, &codecatalyst.ListDevEnvironmentsInput{SpaceName: aws.String("elsewhere"),
		ProjectName: aws.String(devsessionstest.DemoWebProject)}, params)
}

func TestSessionWatcherCheckpointFromAnotherGoroutineDuringLoop(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	envs, sessions := devsessionstest.DemoSpaceData(20)
	client := devsessionstest.NewSpaceClient(envs, sessions)
	w := devsessions.NewSessionWatcher(client, watchedSpace(), func(o *devsessions.SessionWatcherOptions) { o.SessionPageSize = 1 })
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(1)
	var checkpoints []string
	took := make(chan struct{}) // closed once a checkpoint was taken during the loop
	go func() {
		defer wg.Done()
		for ctx.Err() == nil {
			checkpoints = append(checkpoints, w.Checkpoint())
			if len(checkpoints) == 1 {
				close(took)
			}
		}
	}()
	n := 0
	for _, err := range w.Events(ctx) {
		require.NoError(t, err)
		if n++; n == 1 {
			<-took // the loop is in its first poll, its listing's goroutines running
		}
		if n == len(sessions) {
			cancel()
		}
	}
	wg.Wait()
	require.NotEmpty(t, checkpoints)
	for _, cp := range checkpoints {
		require.True(t, strings.HasPrefix(cp, "dsw2."))
	}
	// The last checkpoint holds every session: a watcher from it is quiet.
	quiet := devsessions.NewSessionWatcher(client, watchedSpace(), func(o *devsessions.SessionWatcherOptions) { o.Checkpoint = w.Checkpoint() })
	polls, _ := watchPolls(t, quiet, 1, nil)
	assert.Empty(t, polls[0].lines)
}

func TestSessionEventKindString(t *testing.T) {
	assert.Equal(t, "started", devsessions.SessionStarted.String())
	assert.Equal(t, "ended", devsessions.SessionEnded.String())
	assert.Equal(t, "SessionEventKind(0)", devsessions.SessionEventKind(0).String())
	assert.Equal(t, "SessionEventKind(7)", fmt.Sprint(devsessions.SessionEventKind(7)))
}

// Through the real SDK client over HTTPS: a watcher's first poll announces
// the demo space, one space listing; a restarted service (a new client, a
// new watcher from the checkpoint) announces only what changed meanwhile.
func TestSessionWatcherWithTheRealClient(t *testing.T) {
	envs, sessions := devsessionstest.DemoSpaceData(3)
	serve := func(envs []types.DevEnvironmentSummary, sessions []types.DevEnvironmentSessionSummary) *devsessionstest.Server {
		srv, err := devsessionstest.NewServer(devsessionstest.ServerOptions{Token: secret, DevEnvironments: envs, Sessions: sessions})
		require.NoError(t, err)
		t.Cleanup(srv.Close)
		return srv
	}
	srv := serve(envs, sessions)
	w := devsessions.NewSessionWatcher(srv.Client(), watchedSpace())
	polls, _ := watchPolls(t, w, 1, nil)
	assert.Equal(t, startedLines(demoSessionIDs(3)...), polls[0].lines)
	assert.Len(t, srv.Requests(), 1+7, "one page of dev environments, one page of sessions per RUNNING one")

	i := demoEnv(t, envs, "docs")
	changed := append(withoutSessionsOf(sessions, aws.ToString(envs[i].Id)), types.DevEnvironmentSessionSummary{
		SpaceName: aws.String(devsessionstest.DemoSpace), ProjectName: aws.String(devsessionstest.DemoProject),
		DevEnvironmentId: aws.String(devsessionstest.DemoDevEnvironment), Id: aws.String("sess-new"),
		StartedTime: aws.Time(time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)),
	})
	later := serve(slices.Delete(slices.Clone(envs), i, i+1), changed)
	restarted := devsessions.NewSessionWatcher(later.Client(), watchedSpace(), func(o *devsessions.SessionWatcherOptions) {
		o.Checkpoint = w.Checkpoint()
	})
	polls, _ = watchPolls(t, restarted, 1, nil)
	assert.Equal(t, append(startedLines("sess-new"), endedLines("sess-docs-00", "sess-docs-01")...), polls[0].lines)
	assert.Equal(t, aws.Time(time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)), polls[0].events[0].Session.Session.StartedTime)
}

// A dev environment whose sessions fail on a later page announces nothing,
// not even the sessions of its earlier pages; a later poll that lists it
// in full announces them.
func TestSessionWatcherAnnouncesNothingAboutADevEnvironmentListedInPart(t *testing.T) {
	envs, sessions := devsessionstest.DemoSpaceData(3)
	demo := devsessionstest.DemoDevEnvironment
	others := withoutSessionsOf(sessions, demo)
	space := newSwapSpace(envs, sessions)
	space.fake().ScriptDevEnvironment(demo, 2, devsessionstest.Fault{Err: errUnavailable})
	w := devsessions.NewSessionWatcher(space, watchedSpace(), func(o *devsessions.SessionWatcherOptions) { o.SessionPageSize = 1 })
	polls, _ := watchPolls(t, w, 2, func(int) { space.set(devsessionstest.NewSpaceClient(envs, sessions)) })
	require.Len(t, polls, 2)
	require.Len(t, polls[0].errs, 1)
	var envErr *devsessions.DevEnvironmentError
	require.ErrorAs(t, polls[0].errs[0], &envErr)
	require.Equal(t, demo, aws.ToString(envErr.DevEnvironment.Id))
	var ids []string
	for _, ev := range polls[0].events {
		assert.NotEqual(t, demo, aws.ToString(ev.Session.DevEnvironment.Id), "nothing about the dev environment listed in part")
		ids = append(ids, aws.ToString(ev.Session.Session.Id))
	}
	assert.ElementsMatch(t, demoIDsOf(others), ids, "the others are announced")
	var demoIDs []string
	for _, s := range sessions {
		if aws.ToString(s.DevEnvironmentId) == demo {
			demoIDs = append(demoIDs, aws.ToString(s.Id))
		}
	}
	assert.Equal(t, startedLines(demoIDs...), polls[1].lines, "listed in full, its sessions start, once each")
}

func demoIDsOf(sessions []types.DevEnvironmentSessionSummary) []string {
	out := []string{}
	for _, s := range sessions {
		out = append(out, aws.ToString(s.Id))
	}
	return out
}

// A listing that never settles yields no error; the watcher announces
// nothing it could not be sure of. Sessions that change at every reading:
// nothing about their dev environments (no churned session starts, no
// session ends). Dev environments that change at every reading: the
// sessions listed in full start, but nothing ends. The next settled poll
// announces the rest.
func TestSessionWatcherAnnouncesNothingUnsettled(t *testing.T) {
	for _, tc := range []struct {
		name           string
		envs, sessions bool
		unsettled      []string
	}{
		{"sessions that never settle", false, true, nil},
		{"dev environments that never settle", true, false, startedLines("s-1-3")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sp := newSpace(2, func(int) int { return 3 })
			added := sp.sessions[5]
			added.Id = aws.String("s-1-3")
			later := append(slices.Clone(sp.sessions[1:]), added) // s-0-0 gone, s-1-3 new; each listing of several pages
			space := newSwapSpace(sp.envs, sp.sessions)
			w := devsessions.NewSessionWatcher(space, spaceInput(), func(o *devsessions.SessionWatcherOptions) {
				o.DevEnvironmentPageSize, o.SessionPageSize = 1, 1
			})
			polls, _ := watchPolls(t, w, 3, func(poll int) {
				fake := devsessionstest.NewSpaceClient(sp.envs, later)
				if poll == 1 {
					space.set(&churnClient{SpaceSessionsAPIClient: fake, envs: tc.envs, sessions: tc.sessions})
					return
				}
				space.set(fake)
			})
			require.Len(t, polls, 3)
			assert.Equal(t, startedLines("s-0-0", "s-0-1", "s-0-2", "s-1-0", "s-1-1", "s-1-2"), polls[0].lines)
			assert.Equal(t, tc.unsettled, polls[1].lines, "unsettled: nothing unsure")
			want := endedLines("s-0-0")
			if tc.unsettled == nil {
				want = append(startedLines("s-1-3"), want...)
			}
			assert.Equal(t, want, polls[2].lines, "settled: the rest")
		})
	}
}

// Undo takes the last event back: a start is announced again by the next
// poll, an end too; Checkpoint leaves it out; any other event, or the same
// one twice, is ErrNotLastEvent and changes nothing.
func TestSessionWatcherUndoTakesTheLastEventBack(t *testing.T) {
	envs, sessions := devsessionstest.DemoSpaceData(3)
	all := demoSessionIDs(3)
	space := newSwapSpace(envs, sessions)
	w := devsessions.NewSessionWatcher(space, watchedSpace())
	require.ErrorIs(t, w.Undo(devsessions.SessionEvent{}), devsessions.ErrNotLastEvent, "nothing yielded yet")
	var first, second devsessions.SessionEvent
	for ev, err := range w.Events(t.Context()) {
		require.NoError(t, err)
		if first.Kind == 0 {
			first = ev
			continue
		}
		second = ev
		break
	}
	require.ErrorIs(t, w.Undo(first), devsessions.ErrNotLastEvent, "not the last")
	otherKind := second
	otherKind.Kind = devsessions.SessionEnded
	require.ErrorIs(t, w.Undo(otherKind), devsessions.ErrNotLastEvent, "the same session, another kind")
	require.NoError(t, w.Undo(second))
	require.ErrorIs(t, w.Undo(second), devsessions.ErrNotLastEvent, "undone already")
	restarted := devsessions.NewSessionWatcher(space, watchedSpace(), func(o *devsessions.SessionWatcherOptions) {
		o.Checkpoint = w.Checkpoint()
	})
	polls, _ := watchPolls(t, restarted, 1, nil)
	require.Equal(t, startedLines(all[1:]...), polls[0].lines, "from the checkpoint: the undone start again, not the first")
	polls, _ = watchPolls(t, w, 1, nil)
	require.Equal(t, startedLines(all[1:]...), polls[0].lines, "the same watcher: the undone start again")

	space.set(devsessionstest.NewSpaceClient(envs, nil))
	order := sessionIDsByEnv(sessions)
	var got []string
	for ev, err := range w.Events(t.Context()) {
		require.NoError(t, err)
		got = append(got, eventLine(ev, err))
		require.NoError(t, w.Undo(ev), "in the loop")
		if len(got) == 2 {
			break
		}
	}
	require.Equal(t, endedLines(order[0], order[1]), got, "an undone end is not ended: the loop goes on to the next")
	polls, _ = watchPolls(t, w, 1, nil)
	assert.Equal(t, endedLines(order...), polls[0].lines, "the next poll ends them again, and the rest")
}

// With OlderThan, a session is announced when it is old enough (in the
// first poll in which it started more than OlderThan before the poll
// began), once; one without a start time never is; an announced session
// ends as any other.
func TestSessionWatcherOlderThanAnnouncesASessionWhenItIsOldEnough(t *testing.T) {
	sp := newSpace(1, func(int) int { return 3 }) // started at epoch, +1m, +2m
	sp.sessions[2].StartedTime = nil
	epoch := *sp.sessions[0].StartedTime
	space := newSwapSpace(sp.envs, sp.sessions)
	w := devsessions.NewSessionWatcher(space, spaceInput(), func(o *devsessions.SessionWatcherOptions) { o.OlderThan = time.Hour })
	clock := []time.Time{epoch.Add(time.Hour), epoch.Add(time.Hour + time.Second), epoch.Add(2 * time.Hour), epoch.Add(3 * time.Hour)}
	polls := 0
	devsessions.SetWatcherClock(w, func() time.Time { polls++; return clock[polls-1] })
	got, _ := watchPolls(t, w, 4, func(poll int) {
		if poll == 3 {
			space.set(devsessionstest.NewSpaceClient(sp.envs, sp.sessions[1:]))
		}
	})
	require.Len(t, got, 4)
	assert.Empty(t, got[0].lines, "an hour exactly is not more than an hour")
	assert.Equal(t, startedLines("s-0-0"), got[1].lines)
	assert.Equal(t, startedLines("s-0-1"), got[2].lines, "aged past the hour")
	assert.Equal(t, endedLines("s-0-0"), got[3].lines, "gone: ended; the one without a start time never announced")
}
