package devsessionstest

import (
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
)

// The demo dev environment that [Sessions] fills.
const (
	DemoSpace          = "demo-space"
	DemoProject        = "demo-project"
	DemoDevEnvironment = "11111111-2222-3333-4444-555555555555"
)

// demoEpoch is the start time of the first demo session.
var demoEpoch = time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)

// Sessions returns n sessions of the demo dev environment, in the order the
// fakes serve them: ids sess-0000, sess-0001, ... started a minute apart
// from 2024-05-01T10:00:00Z. The same n always gives the same sessions.
func Sessions(n int) []types.DevEnvironmentSessionSummary {
	out := make([]types.DevEnvironmentSessionSummary, n)
	space, project, env := DemoSpace, DemoProject, DemoDevEnvironment
	for i := range out {
		id := fmt.Sprintf("sess-%04d", i)
		t := demoEpoch.Add(time.Duration(i) * time.Minute)
		out[i] = types.DevEnvironmentSessionSummary{
			SpaceName: &space, ProjectName: &project, DevEnvironmentId: &env, Id: &id, StartedTime: &t,
		}
	}
	return out
}

// The other projects of the demo space that [DemoSpaceData] fills.
const (
	DemoPaymentsProject = "payments-api"
	DemoWebProject      = "web-frontend"
)

// demoEnv describes one dev environment of the demo space.
type demoEnv struct {
	alias, project string
	status         types.DevEnvironmentStatus
	sessions       int // for RUNNING ones other than the demo dev environment
	creator        string
	instance       types.InstanceType
	storage        int32
	reason         string
}

// demoEnvs is the demo space, in listing order. The first is
// DemoDevEnvironment.
var demoEnvs = []demoEnv{
	{"demo", DemoProject, types.DevEnvironmentStatusRunning, -1, "user-alice", types.InstanceTypeDevStandard1Small, 16, ""},
	{"docs", DemoProject, types.DevEnvironmentStatusRunning, 2, "user-bob", types.InstanceTypeDevStandard1Small, 16, ""},
	{"notebook", DemoProject, types.DevEnvironmentStatusStopped, 0, "user-carol", types.InstanceTypeDevStandard1Large, 64, ""},
	{"load-test", DemoProject, types.DevEnvironmentStatusFailed, 0, "user-dave", types.InstanceTypeDevStandard1Xlarge, 32, "The dev environment failed to start: repository clone timed out."},
	{"pay-main", DemoPaymentsProject, types.DevEnvironmentStatusRunning, 3, "user-alice", types.InstanceTypeDevStandard1Medium, 32, ""},
	{"pay-hotfix", DemoPaymentsProject, types.DevEnvironmentStatusRunning, 1, "user-erin", types.InstanceTypeDevStandard1Small, 16, ""},
	{"pay-refactor", DemoPaymentsProject, types.DevEnvironmentStatusStopped, 0, "user-bob", types.InstanceTypeDevStandard1Medium, 32, ""},
	{"pay-migration", DemoPaymentsProject, types.DevEnvironmentStatusStarting, 0, "user-frank", types.InstanceTypeDevStandard1Large, 64, ""},
	{"web-main", DemoWebProject, types.DevEnvironmentStatusRunning, 4, "user-carol", types.InstanceTypeDevStandard1Medium, 16, ""},
	{"web-design", DemoWebProject, types.DevEnvironmentStatusRunning, 0, "user-grace", types.InstanceTypeDevStandard1Small, 16, ""},
	{"web-a11y", DemoWebProject, types.DevEnvironmentStatusRunning, 2, "user-erin", types.InstanceTypeDevStandard1Small, 16, ""},
	{"web-legacy", DemoWebProject, types.DevEnvironmentStatusStopped, 0, "user-dave", types.InstanceTypeDevStandard1Small, 16, ""},
	{"web-perf", DemoWebProject, types.DevEnvironmentStatusStopping, 0, "user-frank", types.InstanceTypeDevStandard1Xlarge, 64, ""},
}

// DemoSpaceData returns the demo space: its dev environments in listing
// order and the sessions of all of them, for [NewSpaceClient] or
// ServerOptions.DevEnvironments and Sessions. The same n always gives the
// same data.
//
// The space DemoSpace holds 13 dev environments in three projects,
// DemoProject, DemoPaymentsProject and DemoWebProject, every one with an
// alias, a creatorId, an instance type, a repository and every field the
// model requires, and a UUID as id. Seven are RUNNING, three STOPPED, one
// STARTING, one STOPPING and one FAILED (with a statusReason). The first is
// DemoDevEnvironment, in DemoProject, RUNNING, with exactly the n sessions
// [Sessions](n) returns; the other RUNNING ones have 0 to 4 sessions each,
// with ids "sess-<alias>-00", "sess-<alias>-01", ..., so session ids are
// unique across the space. Dev environments that are not RUNNING have no
// sessions. Sessions come first by dev environment in listing order.
func DemoSpaceData(n int) ([]types.DevEnvironmentSummary, []types.DevEnvironmentSessionSummary) {
	envs := make([]types.DevEnvironmentSummary, 0, len(demoEnvs))
	sessions := Sessions(n)
	for i, d := range demoEnvs {
		id := DemoDevEnvironment
		if i > 0 {
			id = fmt.Sprintf("%08x-0000-4000-8000-%012x", 0xdeadbeef-uint32(i), i)
		}
		updated := demoEpoch.Add(-time.Duration(i) * 7 * time.Hour)
		e := types.DevEnvironmentSummary{
			SpaceName:       ptr(DemoSpace),
			ProjectName:     ptr(d.project),
			Id:              ptr(id),
			Alias:           ptr(d.alias),
			LastUpdatedTime: &updated,
			CreatorId:       ptr(d.creator),
			Status:          d.status,
			Repositories: []types.DevEnvironmentRepositorySummary{
				{RepositoryName: ptr(d.project), BranchName: ptr("main")},
			},
			Ides:                     []types.Ide{{Name: ptr("VSCode")}},
			InstanceType:             d.instance,
			InactivityTimeoutMinutes: 15 + int32(i%3)*15,
			PersistentStorage:        &types.PersistentStorage{SizeInGiB: ptr(d.storage)},
		}
		if d.reason != "" {
			e.StatusReason = ptr(d.reason)
		}
		envs = append(envs, e)
		for j := 0; j < d.sessions; j++ {
			t := demoEpoch.Add(time.Duration(i)*time.Hour + time.Duration(j)*time.Minute)
			sessions = append(sessions, types.DevEnvironmentSessionSummary{
				SpaceName: ptr(DemoSpace), ProjectName: ptr(d.project), DevEnvironmentId: ptr(id),
				Id: ptr(fmt.Sprintf("sess-%s-%02d", d.alias, j)), StartedTime: &t,
			})
		}
	}
	return envs, sessions
}
