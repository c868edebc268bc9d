package devsessions

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/codecatalyst-contrib/devsessions/internal/token"
)

// spaceTokenPrefix starts every SpaceSessions token; its digit is the
// format's version.
const spaceTokenPrefix = "dss1."

// spacePosition is where a space-wide listing stands: the first session not
// yet delivered. It is made of the two paginators' own exact tokens.
//
// The token is spaceTokenPrefix followed by unpadded base64url of the JSON
// object {"space", "project", "env", "id", "sessions", "past"}: the scope it
// was made for (project omitted for a whole space), env a ListDevEnvironments
// ResumeToken that resumes at the dev environment ("" for the first page),
// id that dev environment's id ("" when not known: no check, start it from
// its first session), sessions a ListDevEnvironmentSessions ResumeToken
// inside it ("" for its first session), past true when all of its sessions
// were delivered (resume after it), and prev the id of the dev environment
// listed before it ("" for the first), where a run resumes when the token's
// own dev environment is gone.
type spacePosition struct {
	Space    string  `json:"space"`
	Project  *string `json:"project,omitempty"`
	Env      string  `json:"env"`
	ID       string  `json:"id,omitempty"`
	Sessions string  `json:"sessions,omitempty"`
	Past     bool    `json:"past,omitempty"`
	Prev     string  `json:"prev,omitempty"`
}

func (p spacePosition) encode() string {
	b, _ := json.Marshal(p) // strings and a *string: cannot fail
	return spaceTokenPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// decodeSpacePosition reads a SpaceSessions token made for space and project.
func decodeSpacePosition(s, space string, project *string) (spacePosition, error) {
	var p spacePosition
	rest, ok := strings.CutPrefix(strings.TrimSpace(s), spaceTokenPrefix)
	if !ok {
		return p, fmt.Errorf("not a SpaceSessions token (it must start with %q; a paginator's or the AWS CLI's token does not resume a space-wide listing)", spaceTokenPrefix)
	}
	if len(rest) > token.MaxStartingToken {
		return p, errors.New("too long")
	}
	raw, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil {
		return p, errors.New("damaged: not base64url")
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil || dec.More() {
		return p, errors.New("damaged: not the expected JSON object")
	}
	switch {
	case p.Space != space:
		return p, fmt.Errorf("made for space %q, not %q", p.Space, space)
	case (p.Project == nil) != (project == nil) || (project != nil && *p.Project != *project):
		return p, fmt.Errorf("made for %s, not %s", scope(p.Project), scope(project))
	case p.ID == "" && (p.Sessions != "" || p.Past || p.Prev != ""):
		return p, errors.New("damaged: a session position without its dev environment")
	case p.Past && p.Sessions != "":
		return p, errors.New("damaged: a session position past its dev environment")
	}
	if p.Env != "" {
		if _, err := token.Decode(p.Env); err != nil {
			return p, fmt.Errorf("damaged dev environment position: %v", err)
		}
	}
	if p.Sessions != "" {
		if _, err := token.Decode(p.Sessions); err != nil {
			return p, fmt.Errorf("damaged session position: %v", err)
		}
	}
	return p, nil
}

// spaceToken says why a paginator refuses a SpaceSessions token, or "".
func spaceToken(s string) string {
	if strings.HasPrefix(strings.TrimSpace(s), spaceTokenPrefix) {
		return "a SpaceSessions token (\"" + spaceTokenPrefix + "...\"): it resumes NewSpaceSessions, not a paginator"
	}
	return ""
}

func scope(project *string) string {
	if project == nil {
		return "the whole space"
	}
	return fmt.Sprintf("project %q", *project)
}

// sessionTokenAt returns the sessions ResumeToken that resumes skip items
// after the position start (a sessions ResumeToken taken before a page).
func sessionTokenAt(start string, skip int) string {
	if skip == 0 {
		return start
	}
	pos, err := token.Decode(start)
	if err != nil { // start came from the paginator itself: cannot happen
		return start
	}
	pos.Skip += skip
	return token.Encode(pos)
}
