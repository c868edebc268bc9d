package main

import (
	"strings"
	"unicode"

	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// command is one aws codecatalyst command the demo data answers, for an
// operation the emulator serves.
type command struct {
	op    string   // one of devsessionstest's Op constants
	scope []string // the command's options that name the scope
}

// name is the AWS CLI's name of the operation: list-projects for
// ListProjects.
func (c command) name() string {
	var b strings.Builder
	for i, r := range c.op {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('-')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// args are the command's arguments after "aws".
func (c command) args() []string {
	return append([]string{"codecatalyst", c.name()}, c.scope...)
}

func (c command) String() string { return "aws " + strings.Join(c.args(), " ") }

// The window of the demo's event log entries (devsessionstest.DemoData).
const (
	eventsStart = "2024-05-01T00:00:00Z"
	eventsEnd   = "2024-05-02T00:00:00Z"
)

// commands returns a command for every operation the emulator serves, in
// the scope of the demo data that holds at least 8 items of it (see
// devsessionstest.DemoData), in the order of devsessionstest.ListOperations
// and then GetUserDetails, for the first demo user.
func commands() []command {
	space := func(more ...string) []string {
		return append([]string{"--space-name", devsessionstest.DemoSpace}, more...)
	}
	project := func(more ...string) []string {
		return space(append([]string{"--project-name", devsessionstest.DemoProject}, more...)...)
	}
	return []command{
		{devsessionstest.OpListAccessTokens, nil},
		{devsessionstest.OpListDevEnvironmentSessions, project("--dev-environment-id", devsessionstest.DemoDevEnvironment)},
		{devsessionstest.OpListDevEnvironments, space()},
		{devsessionstest.OpListEventLogs, space("--start-time", eventsStart, "--end-time", eventsEnd)},
		{devsessionstest.OpListProjects, space()},
		{devsessionstest.OpListSourceRepositories, project()},
		{devsessionstest.OpListSourceRepositoryBranches, project("--source-repository-name", devsessionstest.DemoRepository)},
		{devsessionstest.OpListSpaces, nil},
		{devsessionstest.OpListWorkflowRuns, project("--workflow-id", devsessionstest.DemoWorkflow)},
		{devsessionstest.OpListWorkflows, project()},
		{devsessionstest.OpGetUserDetails, []string{"--id", devsessionstest.DemoUsers()[0].ID}},
	}
}
