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
