package devsessions_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/codecatalyst-contrib/devsessions"
)

// liveSpace is a test-local client over a space that changes while it is
// listed: before each call, with probability churn, one random change
// (a dev environment created, deleted, stopped, started or moved; a
// session started, ended, or the sessions of a dev environment reordered).
// Its page tokens are offsets, as devsessionstest's are, so a change before
// a reading's place shifts its later pages. A session listing fails with
// probability fail.
type liveSpace struct {
	mu    sync.Mutex
	rng   *rand.Rand
	churn float64
	fail  float64
	envs  []*liveEnv // in listing order
	next  int        // ids made so far
	ended map[string]bool
	log   []string

	envCalls       int            // ListDevEnvironments calls so far
	beforeEnvs     func(call int) // if set, runs before each ListDevEnvironments answer, l.mu held
	sessionCalls   int            // ListDevEnvironmentSessions calls so far
	beforeSessions func(call int) // if set, runs before each ListDevEnvironmentSessions answer, l.mu held
}

type liveEnv struct {
	id, project string
	running     bool
	sessions    []string
}

var errLiveDenied = errors.New("injected: access denied")

func newLiveSpace(rng *rand.Rand, n int) *liveSpace {
	l := &liveSpace{rng: rng, ended: map[string]bool{}}
	for range n {
		l.envs = append(l.envs, l.newEnv())
	}
	return l
}

// runningEnv adds a RUNNING dev environment with n sessions at index i.
func (l *liveSpace) runningEnv(i, n int) *liveEnv {
	l.next++
	e := &liveEnv{id: fmt.Sprintf("env-%03d", l.next), project: "proj0", running: true}
	for range n {
		e.sessions = append(e.sessions, l.newSession(e))
	}
	l.envs = slices.Insert(l.envs, i, e)
	return e
}

func (l *liveSpace) newEnv() *liveEnv {
	l.next++
	e := &liveEnv{id: fmt.Sprintf("env-%03d", l.next), project: "proj" + strconv.Itoa(l.next%2), running: l.rng.IntN(4) > 0}
	if e.running {
		for range l.rng.IntN(5) {
			e.sessions = append(e.sessions, l.newSession(e))
		}
	}
	return e
}

func (l *liveSpace) newSession(e *liveEnv) string {
	l.next++
	return fmt.Sprintf("%s/s%03d", e.id, l.next)
}

func (l *liveSpace) endSessions(e *liveEnv) {
	for _, s := range e.sessions {
		l.ended[s] = true
	}
	e.sessions = nil
}

// change makes one random change; l.mu is held.
func (l *liveSpace) change() {
	r := l.rng
	n := len(l.envs)
	if n == 0 {
		l.envs = append(l.envs, l.newEnv())
		return
	}
	e := l.envs[r.IntN(n)]
	switch r.IntN(8) {
	case 0: // created anywhere
		l.envs = slices.Insert(l.envs, r.IntN(n+1), l.newEnv())
		l.log = append(l.log, "create")
	case 1: // deleted
		l.endSessions(e)
		l.envs = slices.DeleteFunc(l.envs, func(x *liveEnv) bool { return x == e })
		l.log = append(l.log, "delete "+e.id)
	case 2: // stopped: its sessions end
		l.endSessions(e)
		e.running = false
		l.log = append(l.log, "stop "+e.id)
	case 3: // started
		if !e.running {
			e.running = true
			e.sessions = append(e.sessions, l.newSession(e))
		}
		l.log = append(l.log, "start "+e.id)
	case 4: // moved
		l.envs = slices.DeleteFunc(l.envs, func(x *liveEnv) bool { return x == e })
		l.envs = slices.Insert(l.envs, r.IntN(n), e)
		l.log = append(l.log, "move "+e.id)
	case 5: // a session started anywhere in its dev environment's listing
		if e.running {
			e.sessions = slices.Insert(e.sessions, r.IntN(len(e.sessions)+1), l.newSession(e))
		}
		l.log = append(l.log, "session+ "+e.id)
	case 6: // a session ended
		if len(e.sessions) > 0 {
			i := r.IntN(len(e.sessions))
			l.ended[e.sessions[i]] = true
			e.sessions = slices.Delete(e.sessions, i, i+1)
		}
		l.log = append(l.log, "session- "+e.id)
	case 7: // sessions reordered
		r.Shuffle(len(e.sessions), func(i, j int) { e.sessions[i], e.sessions[j] = e.sessions[j], e.sessions[i] })
		l.log = append(l.log, "shuffle "+e.id)
	}
}

func (l *liveSpace) enter() {
	l.mu.Lock()
	if l.churn > 0 && l.rng.Float64() < l.churn {
		l.change()
	}
}

// sessionsNow returns every session that exists now.
func (l *liveSpace) sessionsNow() map[string]bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string]bool{}
	for _, e := range l.envs {
		for _, s := range e.sessions {
			out[s] = true
		}
	}
	return out
}

func livePage[T any](all []T, token *string, size *int32) ([]T, *string) {
	start := 0
	if token != nil {
		start, _ = strconv.Atoi(strings.TrimPrefix(*token, "o"))
	}
	start = min(start, len(all)) // a place beyond a shrunk listing is its end
	n := 3
	if size != nil {
		n = int(*size)
	}
	end := min(start+n, len(all))
	if end == len(all) {
		return all[start:end], nil
	}
	return all[start:end], aws.String("o" + strconv.Itoa(end))
}

func (l *liveSpace) ListDevEnvironments(_ context.Context, in *codecatalyst.ListDevEnvironmentsInput,
	_ ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentsOutput, error) {
	l.enter()
	defer l.mu.Unlock()
	if l.envCalls++; l.beforeEnvs != nil {
		l.beforeEnvs(l.envCalls)
	}
	var all []types.DevEnvironmentSummary
	for _, e := range l.envs {
		st := types.DevEnvironmentStatusStopped
		if e.running {
			st = types.DevEnvironmentStatusRunning
		}
		all = append(all, types.DevEnvironmentSummary{Id: aws.String(e.id), ProjectName: aws.String(e.project), Status: st})
	}
	items, next := livePage(all, in.NextToken, in.MaxResults)
	return &codecatalyst.ListDevEnvironmentsOutput{Items: slices.Clone(items), NextToken: next}, nil
}

func (l *liveSpace) ListDevEnvironmentSessions(_ context.Context, in *codecatalyst.ListDevEnvironmentSessionsInput,
	_ ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	l.enter()
	defer l.mu.Unlock()
	if l.sessionCalls++; l.beforeSessions != nil {
		l.beforeSessions(l.sessionCalls)
	}
	if l.fail > 0 && l.rng.Float64() < l.fail {
		return nil, errLiveDenied
	}
	i := slices.IndexFunc(l.envs, func(e *liveEnv) bool { return e.id == *in.DevEnvironmentId })
	if i < 0 {
		return nil, &types.ResourceNotFoundException{Message: aws.String("gone")}
	}
	var all []types.DevEnvironmentSessionSummary
	for _, s := range l.envs[i].sessions {
		all = append(all, types.DevEnvironmentSessionSummary{Id: aws.String(s), DevEnvironmentId: in.DevEnvironmentId})
	}
	items, next := livePage(all, in.NextToken, in.MaxResults)
	return &codecatalyst.ListDevEnvironmentSessionsOutput{Items: slices.Clone(items), NextToken: next}, nil
}

// The promise, over random resume chains at several concurrencies, page
// sizes, caps and breaks, over a space that changes between runs and during
// them: every session that exists throughout the chain is delivered exactly
// once; any other at most once; no run delivers a session twice; and
// ResumeToken is "" only when every such session has been delivered (the
// chain ends there). Runs go on past dev environment errors or break at
// them. The changes stop after 25 runs, so every chain ends.
func TestSpaceSessionsPromiseUnderChange(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	cases := 2000
	if testing.Short() {
		cases = 200
	}
	for seed := range uint64(cases) {
		promiseChain(t, seed)
	}
}

// promiseChain runs one random resume chain and checks the promise.
func promiseChain(t *testing.T, seed uint64) {
	{
		rng := rand.New(rand.NewPCG(seed, 12))
		live := newLiveSpace(rand.New(rand.NewPCG(seed, 13)), rng.IntN(12))
		live.fail = []float64{0, 0, 0.05}[rng.IntN(3)]
		start := live.sessionsNow()
		count := map[string]int{}
		tok := ""
		var runs []string
		for run := 0; ; run++ {
			require.Less(t, run, 200, "seed %d: the chain never ended: %v", seed, runs)
			live.mu.Lock()
			live.churn = 0
			if run < 25 {
				for range rng.IntN(3) {
					live.change() // between runs
				}
				live.churn = []float64{0, 0.05, 0.2}[rng.IntN(3)] // during the run
			} else {
				live.fail = 0
			}
			live.mu.Unlock()
			maxItems, conc, breakAt := int32(rng.IntN(6)), 1+rng.IntN(8), rng.IntN(12)
			envPage, sessPage := int32(1+rng.IntN(4)), int32(1+rng.IntN(3))
			onError := rng.IntN(2) // 0: break at a dev environment's error, 1: go on
			s := devsessions.NewSpaceSessions(live, spaceInput(), func(o *devsessions.SpaceSessionsOptions) {
				o.MaxItems, o.StartingToken, o.Concurrency = maxItems, tok, conc
				o.DevEnvironmentPageSize, o.SessionPageSize = envPage, sessPage
			})
			inRun := map[string]bool{}
			k := 0
			for it, err := range s.Items(t.Context()) {
				if err != nil {
					var de *devsessions.DevEnvironmentError
					require.ErrorAs(t, err, &de, "seed %d run %d", seed, run)
					require.ErrorIs(t, err, errLiveDenied)
					if onError == 0 {
						break
					}
					continue
				}
				id := aws.ToString(it.Session.Id)
				require.True(t, strings.HasPrefix(id, aws.ToString(it.DevEnvironment.Id)+"/"), "seed %d: %s with %s", seed, id, aws.ToString(it.DevEnvironment.Id))
				require.False(t, inRun[id], "seed %d run %d: %s delivered twice in one run", seed, run, id)
				inRun[id] = true
				count[id]++
				require.Equal(t, 1, count[id], "seed %d run %d: %s delivered again (%v)", seed, run, id, runs)
				if k++; breakAt > 0 && k == breakAt {
					break
				}
			}
			runs = append(runs, fmt.Sprintf("[max %d conc %d break %d pages %d/%d: %d]", maxItems, conc, breakAt, envPage, sessPage, k))
			if tok = s.ResumeToken(); tok == "" {
				break
			}
		}
		for id := range start {
			if !live.ended[id] {
				require.Equal(t, 1, count[id], "seed %d: %s existed throughout the chain: %v %v", seed, id, runs, live.log)
			}
		}
	}
}

// A dev environment created at the front while a run lists moves one dev
// environment onto the next ListDevEnvironments page (offset tokens): its
// sessions are still delivered once.
func TestSpaceSessionsListingShiftedDuringARunRepeatsNothing(t *testing.T) {
	for _, conc := range []int{1, 4} {
		live := &liveSpace{rng: rand.New(rand.NewPCG(1, 2)), ended: map[string]bool{}}
		for i := range 6 {
			live.runningEnv(i, 2)
		}
		var want []string
		for _, e := range live.envs {
			want = append(want, e.sessions...)
		}
		live.beforeEnvs = func(call int) {
			if call == 2 { // after the first page: one created in front
				live.runningEnv(0, 1)
			}
		}
		got, err := devsessions.NewSpaceSessions(live, spaceInput(), func(o *devsessions.SpaceSessionsOptions) {
			o.Concurrency, o.DevEnvironmentPageSize = conc, 2
		}).Collect(t.Context())
		require.NoError(t, err)
		ids := spaceIDs(got)
		for _, id := range want {
			require.Equal(t, 1, countOf(ids, id), "concurrency %d: %s in %v", conc, id, ids)
		}
		require.Len(t, ids, len(want)+1, "and the new dev environment's session, once")
	}
}

func countOf(ids []string, id string) int {
	n := 0
	for _, x := range ids {
		if x == id {
			n++
		}
	}
	return n
}

// A dev environment deleted before the place a run's listing has reached
// shifts the next page back (offset tokens): the dev environment that moved
// onto the page already read is not lost, nor is a session when a session
// before the place ends.
func TestSpaceSessionsListingShiftedBackDuringARunLosesNothing(t *testing.T) {
	t.Run("dev environments", func(t *testing.T) {
		live := &liveSpace{rng: rand.New(rand.NewPCG(1, 2)), ended: map[string]bool{}}
		for i := range 6 {
			live.runningEnv(i, 1)
		}
		first := live.envs[0]
		var want []string
		for _, e := range live.envs[1:] {
			want = append(want, e.sessions...)
		}
		live.beforeEnvs = func(call int) {
			if call == 2 { // after the first page: the first one is deleted
				live.endSessions(first)
				live.envs = live.envs[1:]
			}
		}
		got, err := devsessions.NewSpaceSessions(live, spaceInput(), func(o *devsessions.SpaceSessionsOptions) {
			o.Concurrency, o.DevEnvironmentPageSize = 1, 2
		}).Collect(t.Context())
		require.NoError(t, err)
		ids := spaceIDs(got)
		for _, id := range want {
			assert.Equal(t, 1, countOf(ids, id), "%s in %v", id, ids)
		}
	})
	t.Run("sessions", func(t *testing.T) {
		live := &liveSpace{rng: rand.New(rand.NewPCG(1, 2)), ended: map[string]bool{}}
		e := live.runningEnv(0, 6)
		want := slices.Clone(e.sessions[1:])
		live.beforeSessions = func(call int) {
			if call == 2 { // after the first page: its first session ends
				live.ended[e.sessions[0]] = true
				e.sessions = e.sessions[1:]
			}
		}
		got, err := devsessions.NewSpaceSessions(live, spaceInput(), func(o *devsessions.SpaceSessionsOptions) {
			o.SessionPageSize = 2
		}).Collect(t.Context())
		require.NoError(t, err)
		ids := spaceIDs(got)
		for _, id := range want {
			assert.Equal(t, 1, countOf(ids, id), "%s in %v", id, ids)
		}
	})
}
