package devsessionstest

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
)

// Data is what a [Client] made by [NewDataClient] or a [Server] given
// ServerOptions.Data serves, operation by operation, each list in the order
// given. The zero Data serves nothing: every listing of a known scope is
// empty and every named space, project or repository is unknown.
//
// A space is known when Spaces lists it or a key of Projects or EventLogs,
// a ProjectKey, a RepositoryKey or a dev environment names it; a project
// when Projects lists it under its space, or a key or a dev environment
// names it; a source repository when SourceRepositories lists it in its
// project or a RepositoryKey names it. Listing in an unknown scope is
// answered with a *types.ResourceNotFoundException, as the service does.
// ListSpaces lists Spaces only.
//
// The doubles copy a Data when they are made; changing it afterwards
// changes nothing they serve. A double keeps each filtered selection it has
// served (the dev environments of a project, the event logs of a window, and
// so on: a copy of the items selected) for as long as it lives, so that
// paging through it costs a page per call.
type Data struct {
	// Spaces are listed by ListSpaces.
	Spaces []types.SpaceSummary
	// AccessTokens are listed by ListAccessTokens (the caller's tokens).
	AccessTokens []types.AccessTokenSummary
	// Projects are listed by ListProjects, by space name.
	Projects map[string][]types.ProjectSummary
	// DevEnvironments are listed by ListDevEnvironments, by their SpaceName
	// (and by ProjectName for a request that names a project), followed by
	// the dev environments Sessions name that this list omits. Each needs
	// an Id, a SpaceName and a ProjectName for a Server (see
	// ServerOptions.DevEnvironments).
	DevEnvironments []types.DevEnvironmentSummary
	// Sessions are listed by ListDevEnvironmentSessions, by the dev
	// environment each names (DevEnvironmentId).
	Sessions []types.DevEnvironmentSessionSummary
	// SourceRepositories are listed by ListSourceRepositories, by project.
	SourceRepositories map[ProjectKey][]types.ListSourceRepositoriesItem
	// SourceRepositoryBranches are listed by ListSourceRepositoryBranches,
	// by repository.
	SourceRepositoryBranches map[RepositoryKey][]types.ListSourceRepositoryBranchesItem
	// Workflows are listed by ListWorkflows, by project.
	Workflows map[ProjectKey][]types.WorkflowSummary
	// WorkflowRuns are listed by ListWorkflowRuns, by project; a request
	// with a workflowId lists the runs whose WorkflowId it is.
	WorkflowRuns map[ProjectKey][]types.WorkflowRunSummary
	// EventLogs are listed by ListEventLogs, by space: those whose
	// EventTime is at or after the request's startTime and before its
	// endTime (an entry without EventTime never is), and whose EventName is
	// the request's eventName when it has one.
	EventLogs map[string][]types.EventLogEntry
	// Users are who GetUserDetails knows: it finds a user by ID (a dev
	// environment's creatorId), by UserName, or by both.
	Users []User
}

// ProjectKey names a project: Data's key for what a project holds.
type ProjectKey struct{ Space, Project string }

// RepositoryKey names a source repository of a project.
type RepositoryKey struct{ Space, Project, Repository string }

// User is one user GetUserDetails knows. Empty fields are left out of the
// answer, as the service leaves out members it has no value for.
type User struct {
	// ID is the user's id, what a dev environment's CreatorId holds.
	ID string
	// UserName is the user's name (3 to 100 letters, digits, '_', '.' or
	// '-').
	UserName      string
	DisplayName   string
	Email         string
	EmailVerified bool
	// Version is the user details' version; "" means "1".
	Version string
}

// store is a Data indexed for serving; its data never changes once made.
type store struct {
	d        Data
	spaces   map[string]bool
	projects map[ProjectKey]bool
	repos    map[RepositoryKey]bool

	// selections memoizes the items a filtered listing selects (by
	// selectionKey), so that paging through it costs a page, not the
	// scope's items, per call.
	selections sync.Map
}

// selectionKey names one filtered selection of a store's items.
type selectionKey struct {
	op, space, project, name string
	hasName                  bool
	start, end               time.Time // a window's bounds, in UTC without a monotonic reading
}

// selected returns the selection k, made by sel the first time (an error
// is not kept). The same slice is returned to every caller: it must not be
// changed.
func selected[T any](s *store, k selectionKey, sel func() ([]T, error)) ([]T, error) {
	if v, ok := s.selections.Load(k); ok {
		return v.([]T), nil
	}
	items, err := sel()
	if err != nil {
		return nil, err
	}
	v, _ := s.selections.LoadOrStore(k, items)
	return v.([]T), nil
}

// newStore copies d (its lists; the items are values) and indexes it.
func newStore(d Data) *store {
	c := Data{
		Spaces: slices.Clone(d.Spaces), AccessTokens: slices.Clone(d.AccessTokens),
		Projects: cloneMap(d.Projects), DevEnvironments: slices.Clone(d.DevEnvironments), Sessions: slices.Clone(d.Sessions),
		SourceRepositories: cloneMap(d.SourceRepositories), SourceRepositoryBranches: cloneMap(d.SourceRepositoryBranches),
		Workflows: cloneMap(d.Workflows), WorkflowRuns: cloneMap(d.WorkflowRuns), EventLogs: cloneMap(d.EventLogs),
		Users: slices.Clone(d.Users),
	}
	s := &store{d: c, spaces: map[string]bool{}, projects: map[ProjectKey]bool{}, repos: map[RepositoryKey]bool{}}
	for _, sp := range c.Spaces {
		s.spaces[deref(sp.Name)] = true
	}
	for space, ps := range c.Projects {
		s.spaces[space] = true
		for _, p := range ps {
			s.projects[ProjectKey{space, deref(p.Name)}] = true
		}
	}
	for space := range c.EventLogs {
		s.spaces[space] = true
	}
	for _, e := range c.DevEnvironments {
		s.addProject(ProjectKey{deref(e.SpaceName), deref(e.ProjectName)})
	}
	for _, e := range c.Sessions {
		s.addProject(ProjectKey{deref(e.SpaceName), deref(e.ProjectName)})
	}
	for _, m := range []map[ProjectKey]int{keys(c.SourceRepositories), keys(c.Workflows), keys(c.WorkflowRuns)} {
		for k := range m {
			s.addProject(k)
		}
	}
	for k, rs := range c.SourceRepositories {
		for _, r := range rs {
			s.repos[RepositoryKey{k.Space, k.Project, deref(r.Name)}] = true
		}
	}
	for k := range c.SourceRepositoryBranches {
		s.addProject(ProjectKey{k.Space, k.Project})
		s.repos[k] = true
	}
	return s
}

func (s *store) addProject(k ProjectKey) {
	if k.Space != "" {
		s.spaces[k.Space] = true
	}
	if k.Space != "" && k.Project != "" {
		s.projects[k] = true
	}
}

func cloneMap[K comparable, T any](m map[K][]T) map[K][]T {
	out := make(map[K][]T, len(m))
	for k, v := range m {
		out[k] = slices.Clone(v)
	}
	return out
}

func keys[K comparable, T any](m map[K][]T) map[K]int {
	out := make(map[K]int, len(m))
	for k, v := range m {
		out[k] = len(v)
	}
	return out
}

func notFound(format string, args ...any) error {
	return apiError("ResourceNotFoundException", fmt.Sprintf(format, args...), false)
}

func invalid(format string, args ...any) error {
	return apiError("ValidationException", fmt.Sprintf(format, args...), false)
}

func (s *store) space(name string) error {
	if !s.spaces[name] {
		return notFound("The space %s was not found.", name)
	}
	return nil
}

func (s *store) project(k ProjectKey) error {
	if err := s.space(k.Space); err != nil {
		return err
	}
	if !s.projects[k] {
		return notFound("The project %s was not found in space %s.", k.Project, k.Space)
	}
	return nil
}

func (s *store) listProjects(space string, filters []types.ProjectListFilter) ([]types.ProjectSummary, error) {
	if err := s.space(space); err != nil {
		return nil, err
	}
	if len(filters) == 0 {
		return s.d.Projects[space], nil
	}
	key := selectionKey{op: OpListProjects, space: space, name: fmt.Sprintf("%q", filters)}
	return selected(s, key, func() ([]types.ProjectSummary, error) {
		var out []types.ProjectSummary
		for _, p := range s.d.Projects[space] {
			ok, err := matchProject(p, filters)
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, p)
			}
		}
		return out, nil
	})
}

// matchProject applies ListProjects' filters, all of which must hold: key
// name compares the project's name with each value (EQ when no operator is
// given; a project matches when any value does), key hasAccessTo with
// value "true" holds for every project (the caller of a double has access
// to all of them) and with "false" for none.
func matchProject(p types.ProjectSummary, filters []types.ProjectListFilter) (bool, error) {
	for _, f := range filters {
		if len(f.Values) == 0 {
			return false, invalid("filter %s needs at least one value.", f.Key)
		}
		var matched bool
		for _, v := range f.Values {
			switch f.Key {
			case types.FilterKeyName:
				ok, err := compare(deref(p.Name), f.ComparisonOperator, v)
				if err != nil {
					return false, err
				}
				matched = matched || ok
			case types.FilterKeyHasAccessTo:
				if f.ComparisonOperator != "" && f.ComparisonOperator != types.ComparisonOperatorEquals {
					return false, invalid("filter hasAccessTo takes only the operator EQ.")
				}
				if v != "true" && v != "false" {
					return false, invalid("filter hasAccessTo takes the value true or false, got %q.", v)
				}
				matched = matched || v == "true"
			default:
				return false, invalid("filter key %s is not supported by this endpoint.", f.Key)
			}
		}
		if !matched {
			return false, nil
		}
	}
	return true, nil
}

func compare(name string, op types.ComparisonOperator, v string) (bool, error) {
	switch op {
	case "", types.ComparisonOperatorEquals:
		return name == v, nil
	case types.ComparisonOperatorBeginsWith:
		return strings.HasPrefix(name, v), nil
	case types.ComparisonOperatorGreaterThan:
		return name > v, nil
	case types.ComparisonOperatorGreaterThanOrEquals:
		return name >= v, nil
	case types.ComparisonOperatorLessThan:
		return name < v, nil
	case types.ComparisonOperatorLessThanOrEquals:
		return name <= v, nil
	}
	return false, invalid("comparison operator %s is not supported.", op)
}

func (s *store) listSourceRepositories(k ProjectKey) ([]types.ListSourceRepositoriesItem, error) {
	if err := s.project(k); err != nil {
		return nil, err
	}
	return s.d.SourceRepositories[k], nil
}

func (s *store) listSourceRepositoryBranches(k RepositoryKey) ([]types.ListSourceRepositoryBranchesItem, error) {
	if err := s.project(ProjectKey{k.Space, k.Project}); err != nil {
		return nil, err
	}
	if !s.repos[k] {
		return nil, notFound("The source repository %s was not found in project %s of space %s.", k.Repository, k.Project, k.Space)
	}
	return s.d.SourceRepositoryBranches[k], nil
}

func (s *store) listWorkflows(k ProjectKey) ([]types.WorkflowSummary, error) {
	if err := s.project(k); err != nil {
		return nil, err
	}
	return s.d.Workflows[k], nil
}

func (s *store) listWorkflowRuns(k ProjectKey, workflowID *string) ([]types.WorkflowRunSummary, error) {
	if err := s.project(k); err != nil {
		return nil, err
	}
	runs := s.d.WorkflowRuns[k]
	if workflowID == nil {
		return runs, nil
	}
	key := selectionKey{op: OpListWorkflowRuns, space: k.Space, project: k.Project, name: *workflowID, hasName: true}
	return selected(s, key, func() ([]types.WorkflowRunSummary, error) {
		var out []types.WorkflowRunSummary
		for _, r := range runs {
			if deref(r.WorkflowId) == *workflowID {
				out = append(out, r)
			}
		}
		return out, nil
	})
}

// listEventLogs lists the space's entries in [start, end) (see
// Data.EventLogs); start must be before end.
func (s *store) listEventLogs(space string, start, end time.Time, eventName *string) ([]types.EventLogEntry, error) {
	if !start.Before(end) {
		return nil, invalid("startTime must be before endTime.")
	}
	if err := s.space(space); err != nil {
		return nil, err
	}
	key := selectionKey{op: OpListEventLogs, space: space, name: deref(eventName), hasName: eventName != nil,
		start: start.UTC().Round(0), end: end.UTC().Round(0)}
	return selected(s, key, func() ([]types.EventLogEntry, error) {
		var out []types.EventLogEntry
		for _, e := range s.d.EventLogs[space] {
			if e.EventTime == nil || e.EventTime.Before(start) || !e.EventTime.Before(end) {
				continue
			}
			if eventName != nil && deref(e.EventName) != *eventName {
				continue
			}
			out = append(out, e)
		}
		return out, nil
	})
}

// user finds the user GetUserDetails is asked for: one whose ID is id and
// whose UserName is userName, for each of them given.
func (s *store) user(id, userName *string) (User, error) {
	if id == nil && userName == nil {
		return User{}, invalid("Either id or userName is required.")
	}
	for _, u := range s.d.Users {
		if (id == nil || u.ID == *id) && (userName == nil || u.UserName == *userName) {
			return u, nil
		}
	}
	if id != nil {
		return User{}, notFound("The user %s was not found.", *id)
	}
	return User{}, notFound("The user %s was not found.", *userName)
}
