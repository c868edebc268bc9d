package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"

	"github.com/codecatalyst-contrib/devsessions"
)

// session is an item with the AWS CLI's key order.
type session struct {
	SpaceName        string `json:"spaceName"`
	ProjectName      string `json:"projectName"`
	DevEnvironmentID string `json:"devEnvironmentId"`
	StartedTime      string `json:"startedTime"`
	ID               string `json:"id"`
}

func toSession(it types.DevEnvironmentSessionSummary) session {
	started := ""
	if it.StartedTime != nil {
		started = it.StartedTime.UTC().Format(time.RFC3339Nano)
	}
	return session{aws.ToString(it.SpaceName), aws.ToString(it.ProjectName), aws.ToString(it.DevEnvironmentId), started, aws.ToString(it.Id)}
}

// write prints items as the AWS CLI prints a paginated result: json is
// {"items": [...], "NextToken": "..."} (NextToken only when the listing was
// cut), text is one ITEMS line a session then NEXTTOKEN, table is a grid.
func write(w io.Writer, format string, items []types.DevEnvironmentSessionSummary, next string) error {
	rows := make([]session, len(items))
	for i, it := range items {
		rows[i] = toSession(it)
	}
	switch format {
	case "text":
		var b strings.Builder
		for _, s := range rows { // the CLI's text output sorts keys
			fmt.Fprintf(&b, "ITEMS\t%s\t%s\t%s\t%s\t%s\n", s.DevEnvironmentID, s.ID, s.ProjectName, s.SpaceName, s.StartedTime)
		}
		if next != "" {
			fmt.Fprintf(&b, "NEXTTOKEN\t%s\n", next)
		}
		_, err := io.WriteString(w, b.String())
		return err
	case "table":
		return writeTable(w, rows, next)
	}
	out := struct {
		Items     []session `json:"items"`
		NextToken string    `json:"NextToken,omitempty"`
	}{rows, next}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "    ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func writeTable(w io.Writer, rows []session, next string) error {
	cells := [][]string{{"devEnvironmentId", "id", "projectName", "spaceName", "startedTime"}}
	for _, s := range rows {
		cells = append(cells, []string{s.DevEnvironmentID, s.ID, s.ProjectName, s.SpaceName, s.StartedTime})
	}
	return grid(w, "ListDevEnvironmentSessions", cells, next)
}

// grid prints cells, the first row a header, as the AWS CLI's table output
// under title, with the NextToken line when next is not "".
func grid(w io.Writer, title string, cells [][]string, next string) error {
	width := make([]int, len(cells[0]))
	for _, r := range cells {
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c)+4)
		}
	}
	line := "+"
	for _, n := range width {
		line += strings.Repeat("-", n) + "+"
	}
	var b strings.Builder
	fmt.Fprintln(&b, title)
	if next != "" {
		fmt.Fprintf(&b, "NextToken: %s\n", next)
	}
	fmt.Fprintln(&b, line)
	for i, r := range cells {
		b.WriteString("|")
		for j, c := range r {
			fmt.Fprintf(&b, "  %-*s|", width[j]-2, c)
		}
		b.WriteString("\n")
		if i == 0 {
			fmt.Fprintln(&b, line)
		}
	}
	fmt.Fprintln(&b, line)
	_, err := io.WriteString(w, b.String())
	return err
}

// spaceItem is a space-wide item: the session's own object, with the AWS
// CLI's key order, and the dev environment it belongs to.
type spaceItem struct {
	session
	DevEnvironment devEnvironment `json:"devEnvironment"`
}

// devEnvironment is the part of a ListDevEnvironments item a space-wide
// listing prints with each session.
type devEnvironment struct {
	ID              string `json:"id"`
	ProjectName     string `json:"projectName"`
	Alias           string `json:"alias,omitempty"`
	Status          string `json:"status"`
	CreatorID       string `json:"creatorId"`
	InstanceType    string `json:"instanceType"`
	LastUpdatedTime string `json:"lastUpdatedTime,omitempty"`
}

func toDevEnvironment(e types.DevEnvironmentSummary) devEnvironment {
	updated := ""
	if e.LastUpdatedTime != nil {
		updated = e.LastUpdatedTime.UTC().Format(time.RFC3339Nano)
	}
	return devEnvironment{aws.ToString(e.Id), aws.ToString(e.ProjectName), aws.ToString(e.Alias), string(e.Status),
		aws.ToString(e.CreatorId), string(e.InstanceType), updated}
}

// writeSpace prints a space-wide listing: json is {"items": [...],
// "NextToken": "..."} with a "devEnvironment" object in each item; text is,
// as the AWS CLI prints a nested object, an ITEMS line a session (its keys
// sorted) followed by a DEVENVIRONMENT line (its keys sorted), then
// NEXTTOKEN; table is a grid with how long ago each session started,
// counted from now.
func writeSpace(w io.Writer, format, title string, items []devsessions.SpaceSession, next string, now time.Time) error {
	rows := make([]spaceItem, len(items))
	for i, it := range items {
		rows[i] = spaceItem{toSession(it.Session), toDevEnvironment(it.DevEnvironment)}
	}
	switch format {
	case "text":
		var b strings.Builder
		for _, r := range rows {
			s, e := r.session, r.DevEnvironment
			fmt.Fprintf(&b, "ITEMS\t%s\t%s\t%s\t%s\t%s\n", s.DevEnvironmentID, s.ID, s.ProjectName, s.SpaceName, s.StartedTime)
			fmt.Fprintf(&b, "DEVENVIRONMENT\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Alias, e.CreatorID, e.ID, e.InstanceType, e.LastUpdatedTime, e.ProjectName, e.Status)
		}
		if next != "" {
			fmt.Fprintf(&b, "NEXTTOKEN\t%s\n", next)
		}
		_, err := io.WriteString(w, b.String())
		return err
	case "table":
		cells := [][]string{{"project", "devEnvironment", "creator", "sessionId", "started", "ago"}}
		for i, r := range rows {
			started := ""
			ago := ""
			if t := items[i].Session.StartedTime; t != nil {
				started = t.UTC().Format("2006-01-02 15:04:05Z")
				ago = agoString(now.Sub(*t))
			}
			cells = append(cells, []string{r.ProjectName, devEnvLabel(items[i].DevEnvironment), r.DevEnvironment.CreatorID, r.ID, started, ago})
		}
		return grid(w, title, cells, next)
	}
	out := struct {
		Items     []spaceItem `json:"items"`
		NextToken string      `json:"NextToken,omitempty"`
	}{rows, next}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "    ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// agoString says how long ago, to the minute: "45s ago", "12m ago",
// "3h12m ago", "2d5h ago".
func agoString(d time.Duration) string {
	switch {
	case d < 0:
		return "in the future"
	case d < time.Minute:
		return fmt.Sprintf("%ds ago", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh%dm ago", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
	return fmt.Sprintf("%dd%dh ago", int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour))
}
