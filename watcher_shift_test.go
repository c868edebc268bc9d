package devsessions_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// shiftEnv is a running dev environment of a shiftSpace and its sessions.
type shiftEnv struct {
	id       string
	sessions []string
}

// shiftSpace is a space a test changes between any two requests: offset
// tokens ("t<n>"), pages of 2 unless maxResults says otherwise, and a
// hook called (with the lock held) before each request is served.
type shiftSpace struct {
	mu   sync.Mutex
	envs []*shiftEnv
	hide map[string]bool // dev environments ListDevEnvironments passes over
	hook func(op string, in any) error
}

func shiftPage[T any](all []T, tok *string, max *int32) ([]T, *string, error) {
	size, start := 2, 0
	if max != nil {
		size = int(*max)
	}
	if tok != nil {
		n, err := strconv.Atoi(strings.TrimPrefix(*tok, "t"))
		if err != nil || n > len(all) {
			return nil, nil, &types.ValidationException{Message: aws.String("invalid nextToken")}
		}
		start = n
	}
	end := min(start+size, len(all))
	var next *string
	if end < len(all) {
		next = aws.String("t" + strconv.Itoa(end))
	}
	return slices.Clone(all[start:end]), next, nil
}

func (s *shiftSpace) ListDevEnvironments(ctx context.Context, in *codecatalyst.ListDevEnvironmentsInput,
	_ ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentsOutput, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hook != nil {
		if err := s.hook("envs", in); err != nil {
			return nil, err
		}
	}
	var all []types.DevEnvironmentSummary
	for _, e := range s.envs {
		if s.hide[e.id] {
			continue
		}
		all = append(all, types.DevEnvironmentSummary{Id: aws.String(e.id), SpaceName: in.SpaceName, ProjectName: aws.String("shift-project"),
			Alias: aws.String("alias-" + e.id), CreatorId: aws.String("user"), Status: types.DevEnvironmentStatusRunning})
	}
	items, next, err := shiftPage(all, in.NextToken, in.MaxResults)
	if err != nil {
		return nil, err
	}
	return &codecatalyst.ListDevEnvironmentsOutput{Items: items, NextToken: next}, nil
}

func (s *shiftSpace) ListDevEnvironmentSessions(ctx context.Context, in *codecatalyst.ListDevEnvironmentSessionsInput,
	_ ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hook != nil {
		if err := s.hook("sessions", in); err != nil {
			return nil, err
		}
	}
	i := slices.IndexFunc(s.envs, func(e *shiftEnv) bool { return e.id == aws.ToString(in.DevEnvironmentId) })
	if i < 0 {
		return nil, &types.ResourceNotFoundException{Message: aws.String("no such dev environment")}
	}
	var all []types.DevEnvironmentSessionSummary
	for _, id := range s.envs[i].sessions {
		all = append(all, types.DevEnvironmentSessionSummary{Id: aws.String(id), DevEnvironmentId: in.DevEnvironmentId,
			SpaceName: in.SpaceName, ProjectName: in.ProjectName, StartedTime: aws.Time(time.Unix(1.7e9, 0))})
	}
	items, next, err := shiftPage(all, in.NextToken, in.MaxResults)
	if err != nil {
		return nil, err
	}
	return &codecatalyst.ListDevEnvironmentSessionsOutput{Items: items, NextToken: next}, nil
}

// order puts the dev environments in the order of ids (lock held).
func (s *shiftSpace) order(ids ...string) {
	byID := map[string]*shiftEnv{}
	for _, e := range s.envs {
		byID[e.id] = e
	}
	s.envs = nil
	for _, id := range ids {
		s.envs = append(s.envs, byID[id])
	}
}

func shiftInput() *codecatalyst.ListDevEnvironmentsInput {
	return &codecatalyst.ListDevEnvironmentsInput{SpaceName: aws.String("shift-space")}
}

// onePoll runs one poll of w and returns its lines (eventLine).
func onePoll(t *testing.T, w *devsessions.SessionWatcher) []string {
	t.Helper()
	polls, _ := watchPolls(t, w, 1, nil)
	require.Len(t, polls, 1)
	return polls[0].lines
}

// A listing of dev environments that shifts while it is read and checked
// can pass over a dev environment that was there all along: B moves to the
// front while page 2 is read (so the first reading has A twice and no B),
// and A moves back before the check reads page 1 again, after pages 2 and
// 3, so each page's check agrees with the reading. B's session is not
// ended: an end is confirmed by listing its dev environment's sessions.
func TestSessionWatcherDoesNotEndWhatAShiftedListingPassedOver(t *testing.T) {
	space := &shiftSpace{envs: []*shiftEnv{{"A", []string{"sa"}}, {"B", []string{"sb"}}, {"C", []string{"sc"}}}}
	w := devsessions.NewSessionWatcher(space, shiftInput(), func(o *devsessions.SessionWatcherOptions) { o.DevEnvironmentPageSize = 1 })
	require.Equal(t, startedLines("sa", "sb", "sc"), onePoll(t, w))

	calls, rereads := 0, 0
	rereadsDone := make(chan struct{})
	space.hook = func(op string, in any) error {
		if op != "envs" {
			return nil
		}
		calls++
		tok := in.(*codecatalyst.ListDevEnvironmentsInput).NextToken
		switch {
		case calls == 2: // the first reading's page 2
			space.order("B", "A", "C")
		case calls >= 4 && tok == nil: // the check's page 1, after its pages 2 and 3
			space.mu.Unlock()
			<-rereadsDone
			space.mu.Lock()
			space.order("A", "B", "C")
		case calls >= 4:
			if rereads++; rereads == 2 {
				close(rereadsDone)
			}
		}
		return nil
	}
	assert.Empty(t, onePoll(t, w), "B and its session were there all along")
	assert.GreaterOrEqual(t, w.Stats().ConfirmRequests, int64(1), "the end was confirmed, and refuted")
}

// A dev environment whose sessions answer ResourceNotFoundException after
// their first page was not listed in full: nothing is announced about it,
// neither a session of its first page nor an end. When it is gone for good,
// the next poll ends its sessions (its listing confirms it is gone).
func TestSessionWatcherDevEnvironmentNotFoundWhileListedAnnouncesNothing(t *testing.T) {
	for name, deleted := range map[string]bool{"not found, still there": false, "deleted between its pages": true} {
		t.Run(name, func(t *testing.T) {
			space := &shiftSpace{envs: []*shiftEnv{{"E", []string{"s1", "s2", "s3", "s4"}}}}
			w := devsessions.NewSessionWatcher(space, shiftInput())
			require.Equal(t, startedLines("s1", "s2", "s3", "s4"), onePoll(t, w))

			space.envs[0].sessions = []string{"s0", "s1", "s2", "s3", "s4"} // s0 new, on page 1
			sessionCalls := 0
			space.hook = func(op string, in any) error {
				if op != "sessions" {
					return nil
				}
				if sessionCalls++; sessionCalls == 2 {
					if deleted {
						space.envs = nil
						return nil
					}
					return &types.ResourceNotFoundException{Message: aws.String("not found")}
				}
				return nil
			}
			assert.Empty(t, onePoll(t, w), "not listed in full: nothing about it")
			space.hook = nil
			if deleted {
				assert.Equal(t, endedLines("s1", "s2", "s3", "s4"), onePoll(t, w), "gone: its sessions end, s0 was never announced")
			} else {
				assert.Equal(t, startedLines("s0"), onePoll(t, w), "listed in full: what changed")
			}
		})
	}
}

// An end is confirmed with a listing of the dev environment's sessions,
// but for a dev environment the listing gave with a status not in
// Statuses: its status says it has none, and no request is sent.
func TestSessionWatcherConfirmsEndsButThoseOfAStoppedDevEnvironment(t *testing.T) {
	envs, sessions := devsessionstest.DemoSpaceData(2)
	space := newSwapSpace(envs, sessions)
	w := devsessions.NewSessionWatcher(space, watchedSpace())
	demo := demoEnv(t, envs, "web-main")
	stopped := slices.Clone(envs)
	stopped[demo].Status = types.DevEnvironmentStatusStopped
	polls, _ := watchPolls(t, w, 3, func(poll int) {
		if poll == 1 {
			space.set(devsessionstest.NewSpaceClient(stopped, withoutSessionsOf(sessions, *envs[demo].Id)))
			return
		}
		space.set(devsessionstest.NewSpaceClient(stopped, nil))
	})
	require.Len(t, polls, 3)
	assert.Len(t, polls[1].events, 4, "web-main stopped: its 4 sessions end")
	assert.Len(t, polls[2].events, len(sessions)-4, "the others end")
	st := w.Stats()
	others := map[string]bool{}
	for _, s := range withoutSessionsOf(sessions, *envs[demo].Id) {
		others[*s.DevEnvironmentId] = true
	}
	assert.Equal(t, int64(len(others)), st.ConfirmRequests, "one listing per running dev environment with sessions to end, none for web-main")
}

func sessionIDsN(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = prefix + strconv.Itoa(i+1)
	}
	return out
}

// optMarker is an optFn the tests pass to Events, to see that it reaches
// a request.
func optMarker(o *codecatalyst.Options) { o.AppID = "marker" }

func hasMarker(optFns []func(*codecatalyst.Options)) bool {
	var o codecatalyst.Options
	for _, fn := range optFns {
		fn(&o)
	}
	return o.AppID == "marker"
}

// markerSpace records whether each ListDevEnvironmentSessions call carried
// the marker.
type markerSpace struct {
	*shiftSpace
	mu     sync.Mutex
	marked []bool
}

func (m *markerSpace) ListDevEnvironmentSessions(ctx context.Context, in *codecatalyst.ListDevEnvironmentSessionsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	m.mu.Lock()
	m.marked = append(m.marked, hasMarker(optFns))
	m.mu.Unlock()
	return m.shiftSpace.ListDevEnvironmentSessions(ctx, in, optFns...)
}

// The confirmation of ends for a dev environment the listing passed over
// (hidden in poll 2) reads its sessions at one moment (one request of up to
// 200), or, beyond 200, again until two readings agree, keeping what any
// reading had: a session
// ended during the confirmation's page 2 shifts the pages, and no session
// that was there all along is ended. The caller's optFns reach it.
func TestSessionWatcherConfirmationReadsAtOneMomentOrTwice(t *testing.T) {
	for name, tc := range map[string]struct {
		sessions int
		end      bool // b1 ends during the confirmation
		want     []string
		requests int64
	}{
		"up to 200 sessions: one request":     {4, true, endedLines("b1"), 1},
		"beyond 200: two readings, united":    {201, true, nil, 3}, // 2 pages, then 200 sessions on 1
		"beyond 200, unchanged: two readings": {201, false, nil, 4},
	} {
		t.Run(name, func(t *testing.T) {
			space := &shiftSpace{envs: []*shiftEnv{{"A", []string{"a1"}}, {"B", sessionIDsN("b", tc.sessions)}}}
			client := &markerSpace{shiftSpace: space}
			w := devsessions.NewSessionWatcher(client, shiftInput(), func(o *devsessions.SessionWatcherOptions) { o.SessionPageSize = 200 })
			require.Len(t, onePoll(t, w), 1+tc.sessions)

			space.hide = map[string]bool{"B": true}
			calls := 0
			space.hook = func(op string, in any) error {
				if op == "sessions" && aws.ToString(in.(*codecatalyst.ListDevEnvironmentSessionsInput).DevEnvironmentId) == "B" {
					if calls++; tc.end && calls == min(2, tc.sessions/200+1) { // its last page of the first reading, or its one page
						space.envs[1].sessions = space.envs[1].sessions[1:] // b1 ends
					}
				}
				return nil
			}
			client.marked = nil
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			devsessions.SetWatcherSleep(w, func(ctx context.Context, d time.Duration) error { cancel(); return ctx.Err() })
			var got []string
			for ev, err := range w.Events(ctx, optMarker) {
				got = append(got, eventLine(ev, err))
			}
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.requests, w.Stats().ConfirmRequests)
			assert.NotContains(t, client.marked, false, "every session request carries the caller's optFns")
		})
	}
}

// A confirmation that fails is a *DevEnvironmentError, yielded, and ends
// nothing: an error, or a ResourceNotFoundException after its first page (a
// dev environment is gone only when its first request says so).
func TestSessionWatcherConfirmationThatFailsIsYieldedAndEndsNothing(t *testing.T) {
	for name, tc := range map[string]struct {
		sessions int
		failAt   int
		err      error
	}{
		"an error":                        {4, 1, &types.AccessDeniedException{Message: aws.String("denied")}},
		"not found after its first page":  {201, 2, &types.ResourceNotFoundException{Message: aws.String("not found")}},
		"not found in its second reading": {201, 3, &types.ResourceNotFoundException{Message: aws.String("not found")}},
	} {
		t.Run(name, func(t *testing.T) {
			space := &shiftSpace{envs: []*shiftEnv{{"B", sessionIDsN("b", tc.sessions)}}}
			w := devsessions.NewSessionWatcher(space, shiftInput(), func(o *devsessions.SessionWatcherOptions) { o.SessionPageSize = 200 })
			require.Len(t, onePoll(t, w), tc.sessions)
			space.hide = map[string]bool{"B": true}
			calls := 0
			space.hook = func(op string, in any) error {
				if op == "sessions" {
					if calls++; calls == tc.failAt {
						return tc.err
					}
				}
				return nil
			}
			polls, _ := watchPolls(t, w, 1, nil)
			require.Len(t, polls[0].errs, 1, "%v", polls[0].lines)
			var envErr *devsessions.DevEnvironmentError
			require.ErrorAs(t, polls[0].errs[0], &envErr)
			assert.Equal(t, "B", aws.ToString(envErr.DevEnvironment.Id))
			assert.Equal(t, "alias-B", aws.ToString(envErr.DevEnvironment.Alias), "the dev environment as last seen")
			assert.ErrorIs(t, polls[0].errs[0], tc.err)
			assert.Empty(t, polls[0].events, "nothing ends")
			space.hook = nil
			space.envs = nil // gone: the next poll's confirmation says so on its first request
			assert.Len(t, onePoll(t, w), tc.sessions, "then every session ends")
		})
	}
}

// Not found while its pages are read again for the check is not found too:
// nothing is announced about that dev environment in that poll.
func TestSessionWatcherDevEnvironmentNotFoundInTheCheckAnnouncesNothing(t *testing.T) {
	space := &shiftSpace{envs: []*shiftEnv{{"E", []string{"s1", "s2", "s3", "s4"}}}}
	w := devsessions.NewSessionWatcher(space, shiftInput())
	require.Equal(t, startedLines("s1", "s2", "s3", "s4"), onePoll(t, w))
	space.envs[0].sessions = []string{"s0", "s1", "s2", "s3", "s4"}
	calls := 0
	space.hook = func(op string, in any) error {
		if op == "sessions" {
			if calls++; calls == 4 { // the reading took 3 pages; this is the check's first
				return &types.ResourceNotFoundException{Message: aws.String("not found")}
			}
		}
		return nil
	}
	assert.Empty(t, onePoll(t, w), "no start for s0")
	space.hook = nil
	assert.Equal(t, startedLines("s0"), onePoll(t, w))
}

// A session there throughout a confirmation of several pages is never
// ended, though sessions ahead of it start and end so that it crosses a
// page boundary backwards in each of the first two readings (readings go
// on until two in a row agree).
func TestSessionWatcherConfirmationOfMoreThanAPageMissesNoSessionThereThroughout(t *testing.T) {
	ids := append(sessionIDsN("n", 200), "T")
	ids = append(ids, sessionIDsN("o", 50)...)
	space := &shiftSpace{envs: []*shiftEnv{{"A", []string{"a1"}}, {"B", ids}}}
	w := devsessions.NewSessionWatcher(space, shiftInput(), func(o *devsessions.SessionWatcherOptions) { o.SessionPageSize = 200 })
	require.Len(t, onePoll(t, w), 1+251)

	space.hide = map[string]bool{"B": true} // the listing passes over B
	calls := 0
	space.hook = func(op string, in any) error {
		sin, ok := in.(*codecatalyst.ListDevEnvironmentSessionsInput)
		if op != "sessions" || !ok || aws.ToString(sin.DevEnvironmentId) != "B" {
			return nil
		}
		calls++
		b := space.envs[1]
		switch calls {
		case 2: // reading 1 page 2: n1 ends (T moves from 200 to 199)
			b.sessions = b.sessions[1:]
		case 3: // reading 2 page 1: a new session starts in front (T back to 200)
			b.sessions = append([]string{"new1"}, b.sessions...)
		case 4: // reading 2 page 2: n2 ends (T to 199)
			b.sessions = append([]string{"new1"}, b.sessions[2:]...)
		}
		return nil
	}
	lines := onePoll(t, w)
	assert.NotContains(t, lines, "ended T", "T was present throughout the poll")
}

// The same with ends only: one ahead of it during the first reading, 200
// during the second.
func TestSessionWatcherConfirmationOfSeveralPagesMissesNoSessionWhenManyEnd(t *testing.T) {
	ids := append(sessionIDsN("n", 400), "T")
	ids = append(ids, sessionIDsN("o", 10)...)
	space := &shiftSpace{envs: []*shiftEnv{{"B", ids}}}
	w := devsessions.NewSessionWatcher(space, shiftInput(), func(o *devsessions.SessionWatcherOptions) { o.SessionPageSize = 200 })
	require.Len(t, onePoll(t, w), 411)
	space.hide = map[string]bool{"B": true}
	calls := 0
	space.hook = func(op string, in any) error {
		if op != "sessions" {
			return nil
		}
		calls++
		b := space.envs[0]
		switch calls {
		case 3: // reading 1 page 3: n1 ends, T 400 -> 399
			b.sessions = b.sessions[1:]
		case 5: // reading 2 page 2: n2..n201 end, T 399 -> 199
			b.sessions = b.sessions[200:]
		}
		return nil
	}
	lines := onePoll(t, w)
	assert.NotContains(t, lines, "ended T", "T was present throughout the poll")
}

// noProjectSpace leaves projectName out of ListDevEnvironments' items while strip is set.
type noProjectSpace struct {
	*shiftSpace
	strip bool
}

func (s *noProjectSpace) ListDevEnvironments(ctx context.Context, in *codecatalyst.ListDevEnvironmentsInput,
	o ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentsOutput, error) {
	out, err := s.shiftSpace.ListDevEnvironments(ctx, in, o...)
	if err == nil && s.strip {
		for i := range out.Items {
			out.Items[i].ProjectName = nil
		}
	}
	return out, err
}

// Space-wide: a poll whose listing leaves B's projectName out (a
// DevEnvironmentError) must not make the watcher forget B's project: a later
// poll that passes over B confirms with the kept project.
func TestSessionWatcherKeepsTheProjectOfAListingThatLeavesItOut(t *testing.T) {
	space := &shiftSpace{envs: []*shiftEnv{{"B", []string{"b1"}}}}
	c := &noProjectSpace{shiftSpace: space}
	w := devsessions.NewSessionWatcher(c, shiftInput())
	require.Equal(t, startedLines("b1"), onePoll(t, w))
	c.strip = true
	lines := onePoll(t, w)
	require.Len(t, lines, 1, "%v", lines) // the DevEnvironmentError
	c.strip = false
	space.hide = map[string]bool{"B": true}
	assert.Empty(t, onePoll(t, w), "b1 is there")
}

// Project-scoped, a listing that leaves projectName out: the confirmation
// uses params.ProjectName.
func TestSessionWatcherOfAProjectConfirmsInIt(t *testing.T) {
	space := &shiftSpace{envs: []*shiftEnv{{"B", []string{"b1"}}}}
	c := &noProjectSpace{shiftSpace: space, strip: true}
	in := shiftInput()
	in.ProjectName = aws.String("shift-project")
	w := devsessions.NewSessionWatcher(c, in)
	require.Equal(t, startedLines("b1"), onePoll(t, w))
	space.hide = map[string]bool{"B": true}
	assert.Empty(t, onePoll(t, w), "b1 is there")
	assert.Equal(t, int64(1), w.Stats().ConfirmRequests)
}

// ctx done during the confirmation's first page (201 sessions): nothing is
// yielded after it, the loop returns.
func TestSessionWatcherCancelledDuringAConfirmationYieldsNothing(t *testing.T) {
	space := &shiftSpace{envs: []*shiftEnv{{"B", sessionIDsN("b", 201)}}}
	w := devsessions.NewSessionWatcher(space, shiftInput(), func(o *devsessions.SessionWatcherOptions) { o.SessionPageSize = 200 })
	require.Len(t, onePoll(t, w), 201)
	space.hide = map[string]bool{"B": true}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	space.hook = func(op string, in any) error {
		if op == "sessions" {
			cancel()
		}
		return nil
	}
	devsessions.SetWatcherSleep(w, func(ctx context.Context, d time.Duration) error { cancel(); return ctx.Err() })
	var got []string
	for ev, err := range w.Events(ctx) {
		got = append(got, eventLine(ev, err))
	}
	assert.Empty(t, got)
}
