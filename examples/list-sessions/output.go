package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
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
	head := []string{"devEnvironmentId", "id", "projectName", "spaceName", "startedTime"}
	cells := [][]string{head}
	for _, s := range rows {
		cells = append(cells, []string{s.DevEnvironmentID, s.ID, s.ProjectName, s.SpaceName, s.StartedTime})
	}
	width := make([]int, len(head))
	for _, r := range cells {
		for i, c := range r {
			width[i] = max(width[i], len(c)+4)
		}
	}
	line := "+"
	for _, n := range width {
		line += strings.Repeat("-", n) + "+"
	}
	var b strings.Builder
	fmt.Fprintln(&b, "ListDevEnvironmentSessions")
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
