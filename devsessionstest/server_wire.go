package devsessionstest

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
)

// The wire types: the model's JSON members (rest-json), as the SDK's
// deserializers and botocore read them. Timestamps are RFC 3339 strings in
// UTC (the model's iso8601 format, read with smithytime.ParseDateTime);
// optional members are left out when unset.

// listBody holds every member a request body of the served operations
// has. For ListWorkflows and ListWorkflowRuns, MaxResults, NextToken and
// WorkflowID come from the query string instead.
type listBody struct {
	MaxResults  *int32            `json:"maxResults"`
	NextToken   *string           `json:"nextToken"`
	ProjectName *string           `json:"projectName"`
	Filters     []filterBody      `json:"filters"`
	StartTime   *string           `json:"startTime"`
	EndTime     *string           `json:"endTime"`
	EventName   *string           `json:"eventName"`
	SortBy      []json.RawMessage `json:"sortBy"`
	WorkflowID  *string           `json:"-"`
}

// filterBody is a ListDevEnvironments or ListProjects filter.
type filterBody struct {
	Key                string   `json:"key"`
	Values             []string `json:"values"`
	ComparisonOperator string   `json:"comparisonOperator"`
}

// readBody reads and decodes a request body; an empty body is {}.
func readBody(r *http.Request) ([]byte, listBody, error) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		panic(http.ErrAbortHandler) // the client is gone or broke off
	}
	var body listBody
	if len(raw) > 0 {
		err = json.Unmarshal(raw, &body)
	}
	return raw, body, err
}

// readQueryPaging replaces body's paging members by the query string's, as
// ListWorkflows and ListWorkflowRuns bind them.
func readQueryPaging(r *http.Request, body *listBody) error {
	q := r.URL.Query()
	body.MaxResults, body.NextToken, body.WorkflowID = nil, nil, nil
	if q.Has("maxResults") {
		n, err := strconv.ParseInt(q.Get("maxResults"), 10, 32)
		if err != nil {
			return err
		}
		body.MaxResults = ptr(int32(n))
	}
	if q.Has("nextToken") {
		body.NextToken = ptr(q.Get("nextToken"))
	}
	if q.Has("workflowId") {
		body.WorkflowID = ptr(q.Get("workflowId"))
	}
	return nil
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v) //nolint:errcheck // the client may have gone
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", code)
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"message": msg}) //nolint:errcheck // the client may have gone
}

// writeAPIError answers with err as the service would (see Fault.Err).
func writeAPIError(w http.ResponseWriter, err error) {
	status, code, msg := errorAnswer(err)
	writeError(w, status, code, msg)
}

type page[T any] struct {
	Items     []T     `json:"items"`
	NextToken *string `json:"nextToken,omitempty"`
}

// wireTime is t as the model's iso8601 timestamp.
func wireTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// wireTimeOpt is wireTime for an optional member: nil for nil.
func wireTimeOpt(t *time.Time) *string {
	if t == nil {
		return nil
	}
	return ptr(wireTime(t))
}

type sessionItem struct {
	SpaceName        string `json:"spaceName"`
	ProjectName      string `json:"projectName"`
	DevEnvironmentID string `json:"devEnvironmentId"`
	ID               string `json:"id"`
	StartedTime      string `json:"startedTime"`
}

func toSessionItem(it types.DevEnvironmentSessionSummary) sessionItem {
	return sessionItem{
		SpaceName: deref(it.SpaceName), ProjectName: deref(it.ProjectName), DevEnvironmentID: deref(it.DevEnvironmentId),
		ID: deref(it.Id), StartedTime: wireTime(it.StartedTime),
	}
}

// envItem is a DevEnvironmentSummary with the model's JSON member names.
type envItem struct {
	SpaceName                *string       `json:"spaceName,omitempty"`
	ProjectName              *string       `json:"projectName,omitempty"`
	ID                       string        `json:"id"`
	LastUpdatedTime          string        `json:"lastUpdatedTime"`
	CreatorID                string        `json:"creatorId"`
	Status                   string        `json:"status"`
	StatusReason             *string       `json:"statusReason,omitempty"`
	Repositories             []envRepoItem `json:"repositories"`
	Alias                    *string       `json:"alias,omitempty"`
	Ides                     []ideItem     `json:"ides,omitempty"`
	InstanceType             string        `json:"instanceType"`
	InactivityTimeoutMinutes int32         `json:"inactivityTimeoutMinutes"`
	PersistentStorage        struct {
		SizeInGiB int32 `json:"sizeInGiB"`
	} `json:"persistentStorage"`
	VpcConnectionName *string `json:"vpcConnectionName,omitempty"`
}

type envRepoItem struct {
	RepositoryName string  `json:"repositoryName"`
	BranchName     *string `json:"branchName,omitempty"`
}

type ideItem struct {
	Name    *string `json:"name,omitempty"`
	Runtime *string `json:"runtime,omitempty"`
}

// toEnvItem encodes a completed dev environment (see completeEnv).
func toEnvItem(e types.DevEnvironmentSummary) envItem {
	out := envItem{
		SpaceName: e.SpaceName, ProjectName: e.ProjectName, ID: deref(e.Id),
		LastUpdatedTime: wireTime(e.LastUpdatedTime),
		CreatorID:       deref(e.CreatorId), Status: string(e.Status), StatusReason: e.StatusReason,
		Repositories: make([]envRepoItem, 0, len(e.Repositories)), Alias: e.Alias,
		InstanceType: string(e.InstanceType), InactivityTimeoutMinutes: e.InactivityTimeoutMinutes,
		VpcConnectionName: e.VpcConnectionName,
	}
	out.PersistentStorage.SizeInGiB = *e.PersistentStorage.SizeInGiB
	for _, r := range e.Repositories {
		out.Repositories = append(out.Repositories, envRepoItem{RepositoryName: deref(r.RepositoryName), BranchName: r.BranchName})
	}
	for _, i := range e.Ides {
		out.Ides = append(out.Ides, ideItem{Name: i.Name, Runtime: i.Runtime})
	}
	return out
}

// completeEnv fills the fields the model requires that e leaves zero, as
// implicitEnv does; InactivityTimeoutMinutes 0 is valid and stays.
func completeEnv(e types.DevEnvironmentSummary) types.DevEnvironmentSummary {
	def := implicitEnv(deref(e.Id), "", "", demoEpoch)
	if e.LastUpdatedTime == nil {
		e.LastUpdatedTime = def.LastUpdatedTime
	}
	if e.CreatorId == nil {
		e.CreatorId = def.CreatorId
	}
	if e.Status == "" {
		e.Status = def.Status
	}
	if e.Repositories == nil {
		e.Repositories = def.Repositories
	}
	if e.InstanceType == "" {
		e.InstanceType = def.InstanceType
	}
	if e.PersistentStorage == nil || e.PersistentStorage.SizeInGiB == nil {
		e.PersistentStorage = def.PersistentStorage
	}
	return e
}

type accessTokenItem struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	ExpiresTime *string `json:"expiresTime,omitempty"`
}

func toAccessTokenItem(t types.AccessTokenSummary) accessTokenItem {
	return accessTokenItem{ID: deref(t.Id), Name: deref(t.Name), ExpiresTime: wireTimeOpt(t.ExpiresTime)}
}

type spaceItem struct {
	Name        string  `json:"name"`
	RegionName  string  `json:"regionName"`
	DisplayName *string `json:"displayName,omitempty"`
	Description *string `json:"description,omitempty"`
}

func toSpaceItem(s types.SpaceSummary) spaceItem {
	return spaceItem{Name: deref(s.Name), RegionName: deref(s.RegionName), DisplayName: s.DisplayName, Description: s.Description}
}

type projectItem struct {
	Name        string  `json:"name"`
	DisplayName *string `json:"displayName,omitempty"`
	Description *string `json:"description,omitempty"`
}

func toProjectItem(p types.ProjectSummary) projectItem {
	return projectItem{Name: deref(p.Name), DisplayName: p.DisplayName, Description: p.Description}
}

type sourceRepositoryItem struct {
	ID              string  `json:"id"`
	Name            string  `json:"name"`
	Description     *string `json:"description,omitempty"`
	LastUpdatedTime string  `json:"lastUpdatedTime"`
	CreatedTime     string  `json:"createdTime"`
}

func toSourceRepositoryItem(r types.ListSourceRepositoriesItem) sourceRepositoryItem {
	return sourceRepositoryItem{
		ID: deref(r.Id), Name: deref(r.Name), Description: r.Description,
		LastUpdatedTime: wireTime(r.LastUpdatedTime), CreatedTime: wireTime(r.CreatedTime),
	}
}

type branchItem struct {
	Ref             *string `json:"ref,omitempty"`
	Name            *string `json:"name,omitempty"`
	LastUpdatedTime *string `json:"lastUpdatedTime,omitempty"`
	HeadCommitID    *string `json:"headCommitId,omitempty"`
}

func toBranchItem(b types.ListSourceRepositoryBranchesItem) branchItem {
	return branchItem{Ref: b.Ref, Name: b.Name, LastUpdatedTime: wireTimeOpt(b.LastUpdatedTime), HeadCommitID: b.HeadCommitId}
}

type workflowItem struct {
	ID                   string `json:"id"`
	Name                 string `json:"name"`
	SourceRepositoryName string `json:"sourceRepositoryName"`
	SourceBranchName     string `json:"sourceBranchName"`
	Definition           struct {
		Path string `json:"path"`
	} `json:"definition"`
	CreatedTime     string `json:"createdTime"`
	LastUpdatedTime string `json:"lastUpdatedTime"`
	RunMode         string `json:"runMode"`
	Status          string `json:"status"`
}

func toWorkflowItem(w types.WorkflowSummary) workflowItem {
	out := workflowItem{
		ID: deref(w.Id), Name: deref(w.Name), SourceRepositoryName: deref(w.SourceRepositoryName),
		SourceBranchName: deref(w.SourceBranchName), CreatedTime: wireTime(w.CreatedTime),
		LastUpdatedTime: wireTime(w.LastUpdatedTime), RunMode: string(w.RunMode), Status: string(w.Status),
	}
	if w.Definition != nil {
		out.Definition.Path = deref(w.Definition.Path)
	}
	return out
}

type workflowRunItem struct {
	ID              string     `json:"id"`
	WorkflowID      string     `json:"workflowId"`
	WorkflowName    string     `json:"workflowName"`
	Status          string     `json:"status"`
	StatusReasons   []struct{} `json:"statusReasons,omitempty"`
	StartTime       string     `json:"startTime"`
	EndTime         *string    `json:"endTime,omitempty"`
	LastUpdatedTime string     `json:"lastUpdatedTime"`
}

func toWorkflowRunItem(r types.WorkflowRunSummary) workflowRunItem {
	out := workflowRunItem{
		ID: deref(r.Id), WorkflowID: deref(r.WorkflowId), WorkflowName: deref(r.WorkflowName), Status: string(r.Status),
		StartTime: wireTime(r.StartTime), EndTime: wireTimeOpt(r.EndTime), LastUpdatedTime: wireTime(r.LastUpdatedTime),
	}
	if r.StatusReasons != nil {
		out.StatusReasons = make([]struct{}, len(r.StatusReasons)) // the model's reasons have no members
	}
	return out
}

type eventItem struct {
	ID                 string        `json:"id"`
	EventName          string        `json:"eventName"`
	EventType          string        `json:"eventType"`
	EventCategory      string        `json:"eventCategory"`
	EventSource        string        `json:"eventSource"`
	EventTime          string        `json:"eventTime"`
	OperationType      string        `json:"operationType"`
	UserIdentity       userIdentity  `json:"userIdentity"`
	ProjectInformation *projectInfo  `json:"projectInformation,omitempty"`
	RequestID          *string       `json:"requestId,omitempty"`
	RequestPayload     *eventPayload `json:"requestPayload,omitempty"`
	ResponsePayload    *eventPayload `json:"responsePayload,omitempty"`
	ErrorCode          *string       `json:"errorCode,omitempty"`
	SourceIPAddress    *string       `json:"sourceIpAddress,omitempty"`
	UserAgent          *string       `json:"userAgent,omitempty"`
}

type userIdentity struct {
	UserType     string  `json:"userType"`
	PrincipalID  string  `json:"principalId"`
	UserName     *string `json:"userName,omitempty"`
	AwsAccountID *string `json:"awsAccountId,omitempty"`
}

type projectInfo struct {
	Name      *string `json:"name,omitempty"`
	ProjectID *string `json:"projectId,omitempty"`
}

type eventPayload struct {
	ContentType *string `json:"contentType,omitempty"`
	Data        *string `json:"data,omitempty"`
}

func toEventItem(e types.EventLogEntry) eventItem {
	out := eventItem{
		ID: deref(e.Id), EventName: deref(e.EventName), EventType: deref(e.EventType), EventCategory: deref(e.EventCategory),
		EventSource: deref(e.EventSource), EventTime: wireTime(e.EventTime), OperationType: string(e.OperationType),
		RequestID: e.RequestId, ErrorCode: e.ErrorCode, SourceIPAddress: e.SourceIpAddress, UserAgent: e.UserAgent,
	}
	if u := e.UserIdentity; u != nil {
		out.UserIdentity = userIdentity{UserType: string(u.UserType), PrincipalID: deref(u.PrincipalId), UserName: u.UserName, AwsAccountID: u.AwsAccountId}
	}
	if p := e.ProjectInformation; p != nil {
		out.ProjectInformation = &projectInfo{Name: p.Name, ProjectID: p.ProjectId}
	}
	if p := e.RequestPayload; p != nil {
		out.RequestPayload = &eventPayload{ContentType: p.ContentType, Data: p.Data}
	}
	if p := e.ResponsePayload; p != nil {
		out.ResponsePayload = &eventPayload{ContentType: p.ContentType, Data: p.Data}
	}
	return out
}

type userDetails struct {
	UserID       *string `json:"userId,omitempty"`
	UserName     *string `json:"userName,omitempty"`
	DisplayName  *string `json:"displayName,omitempty"`
	PrimaryEmail *struct {
		Email    *string `json:"email,omitempty"`
		Verified *bool   `json:"verified,omitempty"`
	} `json:"primaryEmail,omitempty"`
	Version *string `json:"version,omitempty"`
}

func toUserDetails(u User) userDetails {
	o := u.output()
	out := userDetails{UserID: o.UserId, UserName: o.UserName, DisplayName: o.DisplayName, Version: o.Version}
	if o.PrimaryEmail != nil {
		out.PrimaryEmail = &struct {
			Email    *string `json:"email,omitempty"`
			Verified *bool   `json:"verified,omitempty"`
		}{o.PrimaryEmail.Email, o.PrimaryEmail.Verified}
	}
	return out
}
