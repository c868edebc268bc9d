package devsessions_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// watchFixture is a space of running RUNNING dev environments with
// perEnv sessions each (UUID ids, whole-second start times) and stopped
// STOPPED ones.
func watchFixture(running, stopped, perEnv int) ([]types.DevEnvironmentSummary, []types.DevEnvironmentSessionSummary) {
	var envs []types.DevEnvironmentSummary
	var sessions []types.DevEnvironmentSessionSummary
	for i := range running + stopped {
		id := fmt.Sprintf("%08x-0000-4000-8000-%012x", 0xa7c40000+uint32(i), i)
		status := types.DevEnvironmentStatusRunning
		if i >= running {
			status = types.DevEnvironmentStatusStopped
		}
		project := fmt.Sprintf("proj-%d", i%4)
		envs = append(envs, types.DevEnvironmentSummary{
			SpaceName: aws.String(watchSpaceName), ProjectName: aws.String(project), Id: aws.String(id),
			Alias: aws.String(fmt.Sprintf("env-%03d", i)), CreatorId: aws.String(fmt.Sprintf("user-%02d", i%20)), Status: status,
		})
		if status != types.DevEnvironmentStatusRunning {
			continue
		}
		for j := range perEnv {
			sessions = append(sessions, types.DevEnvironmentSessionSummary{
				SpaceName: aws.String(watchSpaceName), ProjectName: aws.String(project), DevEnvironmentId: aws.String(id),
				Id:          aws.String(fmt.Sprintf("%08x-5e55-4000-8000-%012x", i, j)),
				StartedTime: aws.Time(time.Unix(1_764_000_000+int64(i*60+j), 0)),
			})
		}
	}
	return envs, sessions
}

// A poll of an unchanged space (no event): requests per poll, checkpoint
// characters per session known, and the CPU and allocations of the
// watcher's own work on top of the listing (compare with SpaceSessions
// Collect over the same space).
func BenchmarkSessionWatcherPoll(b *testing.B) {
	cases := []struct {
		running, stopped, perEnv int
		sessionPage              int32
	}{
		{7, 6, 3, 0},
		{100, 0, 3, 0},
		{40, 60, 5, 0},
		{40, 60, 30, 10},
	}
	for _, tc := range cases {
		envs, sessions := watchFixture(tc.running, tc.stopped, tc.perEnv)
		name := fmt.Sprintf("envs=%d/running=%d/sessions=%d/sessionPage=%d", tc.running+tc.stopped, tc.running, len(sessions), tc.sessionPage)
		in := &codecatalyst.ListDevEnvironmentsInput{SpaceName: aws.String(watchSpaceName)}
		b.Run(name+"/watcher", func(b *testing.B) {
			client := devsessionstest.NewSpaceClient(envs, sessions)
			w := devsessions.NewSessionWatcher(client, in, func(o *devsessions.SessionWatcherOptions) { o.SessionPageSize = tc.sessionPage })
			events := func() int {
				ctx, cancel := context.WithCancel(b.Context())
				defer cancel()
				devsessions.SetWatcherSleep(w, func(ctx context.Context, _ time.Duration) error {
					cancel()
					return ctx.Err()
				})
				n := 0
				for _, err := range w.Events(ctx) {
					require.NoError(b, err)
					n++
				}
				return n
			}
			require.Equal(b, len(sessions), events(), "the first poll starts every session")
			calls := client.Calls()
			polls := 0
			for b.Loop() {
				if events() != 0 {
					b.Fatal("an unchanged space announced something")
				}
				polls++
			}
			b.ReportMetric(float64(client.Calls()-calls)/float64(polls), "requests/poll")
			b.ReportMetric(float64(len(w.Checkpoint()))/float64(len(sessions)), "checkpoint-chars/session")
		})
		b.Run(name+"/SpaceSessions", func(b *testing.B) {
			client := devsessionstest.NewSpaceClient(envs, sessions)
			for b.Loop() {
				got, err := devsessions.NewSpaceSessions(client, in, func(o *devsessions.SpaceSessionsOptions) {
					o.SessionPageSize = tc.sessionPage
				}).Collect(b.Context())
				require.NoError(b, err)
				require.Len(b, got, len(sessions))
			}
		})
	}
}

// Checkpoint of a watcher that knows n sessions: time and allocations per
// call, characters per session.
func BenchmarkSessionWatcherCheckpoint(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprintf("sessions=%d", n), func(b *testing.B) {
			envs, sessions := watchFixture(n/10, 0, 10)
			client := devsessionstest.NewSpaceClient(envs, sessions)
			in := &codecatalyst.ListDevEnvironmentsInput{SpaceName: aws.String(watchSpaceName)}
			w := devsessions.NewSessionWatcher(client, in, func(o *devsessions.SessionWatcherOptions) { o.Concurrency = 64 })
			ctx, cancel := context.WithCancel(b.Context())
			defer cancel()
			k := 0
			for _, err := range w.Events(ctx) {
				require.NoError(b, err)
				if k++; k == n {
					cancel()
				}
			}
			var cp string
			for b.Loop() {
				cp = w.Checkpoint()
			}
			b.ReportMetric(float64(len(cp))/float64(n), "chars/session")
			b.ReportMetric(float64(len(cp)), "chars")
		})
	}
}
