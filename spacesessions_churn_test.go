package devsessions_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// Random resume chains over a space that changes between runs: dev
// environments deleted or created anywhere (before, at, after the position,
// several at once, the token's own). Every session of a dev environment that
// is never deleted and existed from the start is delivered exactly once, in
// order; no session is delivered twice; nothing of a deleted dev environment
// is delivered after its deletion.
func TestSpaceSessionsResumeChainsUnderChurn(t *testing.T) {
	cases := 1000
	if testing.Short() {
		cases = 60
	}
	for seed := range uint64(cases) {
		rng := rand.New(rand.NewPCG(seed, 11))
		n := rng.IntN(14)
		sp := newSpace(n+40, func(int) int { return rng.IntN(4) }) // 40 spares to create later
		envs := slices.Clone(sp.envs[:n])
		spare := slices.Clone(sp.envs[n:])
		byEnv := map[string][]types.DevEnvironmentSessionSummary{}
		for _, ss := range sp.sessions {
			byEnv[*ss.DevEnvironmentId] = append(byEnv[*ss.DevEnvironmentId], ss)
		}
		var statuses []types.DevEnvironmentStatus
		if rng.IntN(2) == 0 {
			statuses = []types.DevEnvironmentStatus{types.DevEnvironmentStatusRunning, types.DevEnvironmentStatusStopped}
		}
		listed := func(e types.DevEnvironmentSummary) bool {
			if statuses == nil {
				return e.Status == types.DevEnvironmentStatusRunning
			}
			return slices.Contains(statuses, e.Status)
		}
		stable := map[string]bool{} // never deleted, there from the start
		for _, e := range envs {
			stable[*e.Id] = true
		}
		deleted := map[string]bool{}
		client := func() *devsessionstest.Client {
			var ss []types.DevEnvironmentSessionSummary
			for _, e := range envs {
				ss = append(ss, byEnv[*e.Id]...)
			}
			return devsessionstest.NewSpaceClient(envs, ss)
		}
		seen := map[string]bool{}
		var got []string // "<env> <session>", in delivery order
		tok, log := "", ""
		for run := 0; ; run++ {
			require.Less(t, run, 500, "seed %d: %s", seed, log)
			fake := client()
			maxItems, conc, stopAfter := int32(rng.IntN(5)), 1+rng.IntN(8), 1+rng.IntN(8)
			s := devsessions.NewSpaceSessions(fake, spaceInput(), func(o *devsessions.SpaceSessionsOptions) {
				o.MaxItems, o.StartingToken, o.Concurrency = maxItems, tok, conc
				o.SessionPageSize, o.DevEnvironmentPageSize = int32(rng.IntN(4)), int32(rng.IntN(5))
				o.Statuses = statuses
			})
			k := 0
			for it, err := range s.Items(t.Context()) {
				require.NoError(t, err, "seed %d: %s", seed, log)
				id, env := aws.ToString(it.Session.Id), aws.ToString(it.DevEnvironment.Id)
				require.False(t, seen[id], "seed %d: %s repeated: %s", seed, id, log)
				require.False(t, deleted[env], "seed %d: %s of a deleted dev environment: %s", seed, id, log)
				seen[id] = true
				got = append(got, env+" "+id)
				if k++; k == stopAfter {
					break
				}
			}
			if tb, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(s.ResumeToken(), "dss1.")); err == nil && os.Getenv("RED3_DEBUG") != "" {
				log += " " + string(tb)
			}
			log += fmt.Sprintf(" [envs %d max %d conc %d stop %d: %d]", len(envs), maxItems, conc, stopAfter, k)
			if tok = s.ResumeToken(); tok == "" {
				break
			}
			// Churn: deletions and insertions anywhere, the token's own dev
			// environment included, but not once the one listed before it
			// when the token was made (its Prev) is gone too: the run then
			// resumes at the token's old place, which other changes may have
			// moved (ResumeToken's doc).
			var tokPos struct{ ID, Prev string }
			tb, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(tok, "dss1."))
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(tb, &tokPos))
			delTok, delPrev := false, false
			for range rng.IntN(3) {
				if len(envs) > 0 && rng.IntN(2) == 0 {
					i := rng.IntN(len(envs))
					id := *envs[i].Id
					if (id == tokPos.ID && (delPrev || deleted[tokPos.Prev])) || (id == tokPos.Prev && delTok) {
						continue
					}
					delTok, delPrev = delTok || id == tokPos.ID, delPrev || id == tokPos.Prev
					log += fmt.Sprintf(" del %d", i)
					deleted[id] = true
					delete(stable, id)
					envs = slices.Delete(envs, i, i+1)
				} else if len(spare) > 0 {
					i := rng.IntN(len(envs) + 1)
					log += fmt.Sprintf(" ins %d", i)
					envs = slices.Insert(envs, i, spare[0])
					spare = spare[1:]
				}
			}
		}
		got = slices.DeleteFunc(got, func(g string) bool { return !stable[g[:len(envID(0))]] })
		var want []string
		for _, e := range sp.envs[:n] {
			if stable[*e.Id] && listed(e) {
				for _, ss := range byEnv[*e.Id] {
					want = append(want, *e.Id+" "+*ss.Id)
				}
			}
		}
		require.Equal(t, append([]string{}, want...), append([]string{}, got...), "seed %d: %s", seed, log)
	}
}

// Dev environments deleted before the token's can leave its place beyond
// the end of the listing, where the service refuses the page token (the
// fake's tokens are offsets). The token's dev environment still exists:
// the resumed run finds it from the first page and continues inside it,
// instead of failing as an invalid StartingToken for good.
func TestSpaceSessionsResumeWhenDeletionsLeaveThePlaceBeyondTheEnd(t *testing.T) {
	sp := newSpace(8, func(int) int { return 3 }) // RUNNING: 0, 1, 2, 5, 6, 7
	opt := func(o *devsessions.SpaceSessionsOptions) { o.DevEnvironmentPageSize, o.SessionPageSize = 1, 1 }
	s := devsessions.NewSpaceSessions(devsessionstest.NewSpaceClient(sp.envs, sp.sessions), spaceInput(), opt,
		func(o *devsessions.SpaceSessionsOptions) { o.MaxItems = 16 })
	first, err := s.Collect(t.Context())
	require.NoError(t, err)
	require.Equal(t, sp.want[:16], spaceIDs(first))

	envs := slices.Clone(sp.envs[2:])
	var sessions []types.DevEnvironmentSessionSummary
	for _, ss := range sp.sessions {
		if id := *ss.DevEnvironmentId; id != envID(0) && id != envID(1) {
			sessions = append(sessions, ss)
		}
	}
	rest, err := devsessions.NewSpaceSessions(devsessionstest.NewSpaceClient(envs, sessions), spaceInput(), opt,
		func(o *devsessions.SpaceSessionsOptions) { o.StartingToken = s.ResumeToken() }).Collect(t.Context())
	require.NoError(t, err)
	require.Equal(t, []string{"s-7-1", "s-7-2"}, spaceIDs(rest))
}

// MaxItems reached on the last session of a dev environment is not the end
// when the next (last) one's listing has already failed: its error is
// pending and its sessions are not delivered, so ResumeToken is not "" and
// the resumed run delivers them.
func TestSpaceSessionsCapBeforeAFailedLastDevEnvironmentIsNotTheEnd(t *testing.T) {
	sp := newSpace(2, func(int) int { return 2 })
	fake := devsessionstest.NewSpaceClient(sp.envs, sp.sessions)
	fake.ScriptDevEnvironment(envID(1), 1, devsessionstest.Fault{Err: &types.ThrottlingException{Message: aws.String("injected")}})
	slow := &jitterClient{SpaceSessionsAPIClient: fake, delay: func(id string) time.Duration {
		if id == envID(0) {
			return 50 * time.Millisecond // the last one fails first
		}
		return 0
	}}
	s := devsessions.NewSpaceSessions(slow, spaceInput(), func(o *devsessions.SpaceSessionsOptions) { o.MaxItems = 2 })
	got, err := s.Collect(t.Context())
	require.NoError(t, err)
	require.Equal(t, []string{"s-0-0", "s-0-1"}, spaceIDs(got))
	require.NotEmpty(t, s.ResumeToken(), "the last dev environment's sessions remain")
	rest, err := devsessions.NewSpaceSessions(fake, spaceInput(), func(o *devsessions.SpaceSessionsOptions) {
		o.StartingToken = s.ResumeToken()
	}).Collect(t.Context())
	require.NoError(t, err)
	assert.Equal(t, []string{"s-1-0", "s-1-1"}, spaceIDs(rest))
}
