package devsessions_test

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// changingSpace is a fake space that the examples change between polls.
type changingSpace struct {
	atomic.Pointer[devsessionstest.Client]
}

func (c *changingSpace) ListDevEnvironments(ctx context.Context, in *codecatalyst.ListDevEnvironmentsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentsOutput, error) {
	return c.Load().ListDevEnvironments(ctx, in, optFns...)
}

func (c *changingSpace) ListDevEnvironmentSessions(ctx context.Context, in *codecatalyst.ListDevEnvironmentSessionsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	return c.Load().ListDevEnvironmentSessions(ctx, in, optFns...)
}

// paymentsLater is the payments project after pay-hotfix's session ended
// and a session started on pay-main.
func paymentsLater() *devsessionstest.Client {
	envs, sessions := devsessionstest.DemoSpaceData(0)
	sessions = slices.DeleteFunc(sessions, func(s types.DevEnvironmentSessionSummary) bool {
		return aws.ToString(s.Id) == "sess-pay-hotfix-00"
	})
	i := slices.IndexFunc(sessions, func(s types.DevEnvironmentSessionSummary) bool { return aws.ToString(s.Id) == "sess-pay-main-02" })
	started := sessions[i]
	started.Id = aws.String("sess-pay-main-03")
	return devsessionstest.NewSpaceClient(envs, slices.Insert(sessions, i+1, started))
}

var paymentsProject = &codecatalyst.ListDevEnvironmentsInput{
	SpaceName:   aws.String(devsessionstest.DemoSpace),
	ProjectName: aws.String(devsessionstest.DemoPaymentsProject),
}

// A job that reports who connects and disconnects: the first poll
// announces every session, each later one only what changed.
func ExampleSessionWatcher_Events() {
	space := &changingSpace{}
	space.Store(devsessionstest.NewSpaceClient(devsessionstest.DemoSpaceData(0)))
	w := devsessions.NewSessionWatcher(space, paymentsProject, func(o *devsessions.SessionWatcherOptions) {
		o.Interval = time.Millisecond // a minute by default
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	for ev, err := range w.Events(ctx) {
		if err != nil {
			fmt.Println("error:", err) // a poll failed, or one dev environment; the watcher goes on
			continue
		}
		fmt.Println(ev.Kind, aws.ToString(ev.Session.DevEnvironment.Alias), aws.ToString(ev.Session.Session.Id))
		switch n++; n {
		case 4: // the first poll is done: change the space before the next
			space.Store(paymentsLater())
		case 6:
			cancel() // how a watcher is stopped: the loop ends without an error
		}
	}
	// Output:
	// started pay-main sess-pay-main-00
	// started pay-main sess-pay-main-01
	// started pay-main sess-pay-main-02
	// started pay-hotfix sess-pay-hotfix-00
	// started pay-main sess-pay-main-03
	// ended pay-hotfix sess-pay-hotfix-00
}

// A service that restarts keeps its watcher's checkpoint: the watcher made
// from it announces only what changed while it was down.
func ExampleSessionWatcher_Checkpoint() {
	space := &changingSpace{}
	space.Store(devsessionstest.NewSpaceClient(devsessionstest.DemoSpaceData(0)))
	ctx, cancel := context.WithCancel(context.Background())
	first := devsessions.NewSessionWatcher(space, paymentsProject)
	n := 0
	for _, err := range first.Events(ctx) {
		if n++; err == nil && n == 4 {
			cancel() // the first poll announced the project's 4 sessions
		}
	}
	saved := first.Checkpoint() // written to a file or a database
	fmt.Println(saved[:5], len(saved), "characters")

	space.Store(paymentsLater()) // while the service was down
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	restarted := devsessions.NewSessionWatcher(space, paymentsProject, func(o *devsessions.SessionWatcherOptions) {
		o.Checkpoint = saved
	})
	n = 0
	for ev, err := range restarted.Events(ctx) {
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		fmt.Println(ev.Kind, aws.ToString(ev.Session.Session.Id))
		if n++; n == 2 {
			cancel()
		}
	}
	// Output:
	// dsw2. 293 characters
	// started sess-pay-main-03
	// ended sess-pay-hotfix-00
}

// A job that records each event in a log it may fail to write: Undo takes
// back the event it could not record, so that the checkpoint it saves
// announces that event again.
func ExampleSessionWatcher_Undo() {
	space := devsessionstest.NewSpaceClient(devsessionstest.DemoSpaceData(0))
	w := devsessions.NewSessionWatcher(space, paymentsProject)
	record := func(ev devsessions.SessionEvent) error {
		if aws.ToString(ev.Session.Session.Id) == "sess-pay-main-01" {
			return fmt.Errorf("disk full")
		}
		fmt.Println("recorded", ev.Kind, aws.ToString(ev.Session.Session.Id))
		return nil
	}
	for ev, err := range w.Events(context.Background()) {
		if err != nil {
			continue
		}
		if err := record(ev); err != nil {
			fmt.Println("not recorded:", err)
			_ = w.Undo(ev) // ErrNotLastEvent only for another event
			break
		}
	}
	saved := w.Checkpoint()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	restarted := devsessions.NewSessionWatcher(space, paymentsProject, func(o *devsessions.SessionWatcherOptions) {
		o.Checkpoint = saved
	})
	for ev, err := range restarted.Events(ctx) {
		if err == nil {
			fmt.Println("announced again", ev.Kind, aws.ToString(ev.Session.Session.Id))
			cancel()
		}
	}
	// Output:
	// recorded started sess-pay-main-00
	// not recorded: disk full
	// announced again started sess-pay-main-01
}

// A job that warns about sessions connected for more than 8 hours: with
// OlderThan, each session is announced once, when it passes that age, and
// its end when it ends.
func ExampleSessionWatcherOptions_olderThan() {
	envs, sessions := devsessionstest.DemoSpaceData(0)
	i := slices.IndexFunc(sessions, func(s types.DevEnvironmentSessionSummary) bool { return aws.ToString(s.Id) == "sess-pay-main-01" })
	sessions[i].StartedTime = aws.Time(time.Now().Add(-time.Hour)) // connected an hour ago: not yet
	w := devsessions.NewSessionWatcher(devsessionstest.NewSpaceClient(envs, sessions), paymentsProject,
		func(o *devsessions.SessionWatcherOptions) { o.OlderThan = 8 * time.Hour })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	for ev, err := range w.Events(ctx) {
		if err != nil {
			continue
		}
		fmt.Println("connected over 8h:", aws.ToString(ev.Session.Session.Id))
		if n++; n == 3 {
			cancel()
		}
	}
	// Output:
	// connected over 8h: sess-pay-main-00
	// connected over 8h: sess-pay-main-02
	// connected over 8h: sess-pay-hotfix-00
}
