package devsessions

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
)

// ErrInvalidCheckpoint is yielded by [SessionWatcher.Events] for a
// SessionWatcherOptions.Checkpoint that does not decode, is of an unknown
// version, or was made for another SpaceName or ProjectName. It is
// permanent: the watcher makes no request.
var ErrInvalidCheckpoint = errors.New("devsessions: invalid checkpoint")

// checkpointPrefix starts every checkpoint; "2" is the format's version.
const checkpointPrefix = "dsw2."

// checkpointSum is the checksum that ends a checkpoint's bytes: any change
// of up to 32 bits in a row (any one character changed) is detected.
var checkpointSum = crc32.MakeTable(crc32.Castagnoli)

// Checkpoint returns what the watcher knows, for
// SessionWatcherOptions.Checkpoint: every session announced as started
// and not yet as ended, as of the last event yielded. A watcher made from
// it announces nothing again. Before the first poll it holds what the
// Checkpoint option held; while the input is invalid it returns that
// option as given.
//
// It is "dsw2." and unpadded base64url of a binary encoding (the "2" is the
// format's version): the scope, then per dev environment its id, project,
// alias and creatorId, then per session its id and startedTime, then a
// CRC-32C of all that (6 characters), so that a checkpoint damaged in
// storage or in a copy is refused, not read as other knowledge. Ids in the
// canonical lowercase UUID form take 17 bytes, other strings one byte more
// than their length; a startedTime takes 6 bytes (9 or 10 with a fraction
// of a second). So each session costs about 31 characters with UUID
// session ids (35 or 36 when start times have fractions of a second), 21
// with ids like "sess-0001", and each dev environment about 30 more plus
// its alias and creatorId. It grows with the sessions known, not with
// time.
//
// An ended event for a session known only from a checkpoint carries what
// the checkpoint keeps: the dev environment's Id, SpaceName, ProjectName,
// Alias and CreatorId, and the session's Id, DevEnvironmentId, SpaceName,
// ProjectName and StartedTime.
//
// Checkpoint is safe to call from any goroutine, during a loop too. Equal
// knowledge gives equal strings.
func (w *SessionWatcher) Checkpoint() string {
	if w.err != nil {
		return w.opts.Checkpoint
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return encodeCheckpoint(w.known, aws.ToString(w.params.SpaceName), w.params.ProjectName)
}

// encodeCheckpoint writes known, dev environments and their sessions in id
// order.
func encodeCheckpoint(known map[string]*knownEnv, space string, project *string) string {
	envs := slices.Sorted(maps.Keys(known))
	var projects []string // table of the dev environments' projects
	index := map[string]uint64{}
	for _, id := range envs {
		if p := known[id].env.ProjectName; p != nil {
			if _, ok := index[*p]; !ok {
				projects = append(projects, *p)
				index[*p] = uint64(len(projects))
			}
		}
	}
	b := appendCheckpointString(nil, &space)
	b = appendCheckpointString(b, project)
	b = binary.AppendUvarint(b, uint64(len(projects)))
	for _, p := range projects {
		b = appendCheckpointString(b, &p)
	}
	b = binary.AppendUvarint(b, uint64(len(envs)))
	for _, id := range envs {
		k := known[id]
		b = appendCheckpointString(b, &id)
		var pi uint64
		if k.env.ProjectName != nil {
			pi = index[*k.env.ProjectName]
		}
		b = binary.AppendUvarint(b, pi)
		b = appendCheckpointString(b, k.env.Alias)
		b = appendCheckpointString(b, k.env.CreatorId)
		b = binary.AppendUvarint(b, uint64(len(k.sessions)))
		for _, sid := range slices.Sorted(maps.Keys(k.sessions)) {
			b = appendCheckpointString(b, &sid)
			b = appendCheckpointTime(b, k.sessions[sid].StartedTime)
		}
	}
	b = binary.BigEndian.AppendUint32(b, crc32.Checksum(b, checkpointSum))
	return checkpointPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// decodeCheckpoint reads a checkpoint made for the scope.
func decodeCheckpoint(cp, space string, project *string) (map[string]*knownEnv, error) {
	rest, ok := strings.CutPrefix(cp, checkpointPrefix)
	if !ok {
		switch v, _, found := strings.Cut(cp, "."); {
		case v == "dsw1" && found:
			return nil, errors.New("checkpoint version \"dsw1\" (of a development version, without a checksum) is no longer read: start over")
		case found && strings.HasPrefix(v, "dsw"):
			return nil, fmt.Errorf("checkpoint version %q is not known to this version of devsessions", v)
		}
		return nil, errors.New("not a SessionWatcher checkpoint (it starts with \"" + checkpointPrefix + "\")")
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(rest)
	if err != nil {
		return nil, errors.New("checkpoint is not unpadded base64url after its prefix")
	}
	if len(raw) < 4 {
		return nil, errors.New("checkpoint is damaged: truncated")
	}
	body, sum := raw[:len(raw)-4], binary.BigEndian.Uint32(raw[len(raw)-4:])
	if crc32.Checksum(body, checkpointSum) != sum {
		return nil, errors.New("checkpoint is damaged: its checksum does not match (changed or cut short)")
	}
	d := &checkpointDecoder{b: body}
	cpSpace, cpProject := d.string(), d.string()
	if d.err == nil && (aws.ToString(cpSpace) != space || (cpProject == nil) != (project == nil) ||
		(project != nil && *cpProject != *project)) {
		return nil, fmt.Errorf("checkpoint was made for %s, not for %s", scopeText(aws.ToString(cpSpace), cpProject), scopeText(space, project))
	}
	projects := make([]*string, d.count())
	for i := range projects {
		projects[i] = d.string()
	}
	known := map[string]*knownEnv{}
	for range d.count() {
		id := d.string()
		pi := d.uvarint()
		var envProject *string
		switch {
		case pi > uint64(len(projects)):
			d.fail("project index out of range")
		case pi > 0:
			envProject = projects[pi-1]
		}
		k := &knownEnv{
			env: types.DevEnvironmentSummary{Id: id, SpaceName: aws.String(space), ProjectName: envProject,
				Alias: d.string(), CreatorId: d.string()},
			sessions: map[string]types.DevEnvironmentSessionSummary{},
		}
		k.creator = User{ID: aws.ToString(k.env.CreatorId)}
		sessProject := envProject
		if sessProject == nil {
			sessProject = project
		}
		n := d.count()
		if d.err == nil && (n == 0 || known[aws.ToString(id)] != nil) {
			d.fail("a dev environment is in it twice or without sessions")
		}
		for range n {
			sid, started := d.string(), d.time()
			if d.err != nil {
				break
			}
			if _, dup := k.sessions[aws.ToString(sid)]; dup {
				d.fail("a session is in it twice")
			}
			k.sessions[aws.ToString(sid)] = types.DevEnvironmentSessionSummary{
				Id: sid, DevEnvironmentId: id, SpaceName: aws.String(space), ProjectName: sessProject, StartedTime: started,
			}
		}
		known[aws.ToString(id)] = k
	}
	if d.err == nil && len(d.b) > 0 {
		d.fail("trailing data")
	}
	if d.err != nil {
		return nil, fmt.Errorf("checkpoint is damaged: %w", d.err)
	}
	if encodeCheckpoint(known, space, project) != cp {
		// Line breaks the base64 decoder passes over, or bytes in another
		// order or form than Checkpoint writes: not one it made.
		return nil, errors.New("checkpoint is damaged: it is not in the form Checkpoint writes")
	}
	return known, nil
}

func scopeText(space string, project *string) string {
	if project == nil {
		return fmt.Sprintf("space %q", space)
	}
	return fmt.Sprintf("project %q of space %q", *project, space)
}

// Strings: uvarint 0 is nil, 1 a canonical lowercase UUID in 16 bytes,
// n ≥ 2 a string of n-2 bytes.
func appendCheckpointString(b []byte, s *string) []byte {
	switch {
	case s == nil:
		return append(b, 0)
	case isUUID(*s):
		b = append(b, 1)
		for i := 0; i < len(*s); i += 2 {
			if (*s)[i] == '-' {
				i++
			}
			b = append(b, unhex((*s)[i])<<4|unhex((*s)[i+1]))
		}
		return b
	}
	b = binary.AppendUvarint(b, uint64(len(*s))+2)
	return append(b, *s...)
}

// isUUID reports whether s is 8-4-4-4-12 lowercase hex digits.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range []byte(s) {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
				return false
			}
		}
	}
	return true
}

// unhex returns the value of a lowercase hex digit.
func unhex(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return c - 'a' + 10
}

// Times: uvarint 0 is nil, else nanoseconds+1, then the Unix seconds as a
// varint.
func appendCheckpointTime(b []byte, t *time.Time) []byte {
	if t == nil {
		return append(b, 0)
	}
	b = binary.AppendUvarint(b, uint64(t.Nanosecond())+1)
	return binary.AppendVarint(b, t.Unix())
}

// checkpointDecoder reads a checkpoint's bytes; after the first error every read
// returns a zero value.
type checkpointDecoder struct {
	b   []byte
	err error
}

func (d *checkpointDecoder) fail(msg string) {
	if d.err == nil {
		d.err = errors.New(msg)
	}
	d.b = nil
}

func (d *checkpointDecoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("truncated")
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count reads a number of entries, each of which takes at least one byte.
func (d *checkpointDecoder) count() int {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail("truncated")
		return 0
	}
	return int(n)
}

func (d *checkpointDecoder) take(n uint64) []byte {
	if n > uint64(len(d.b)) {
		d.fail("truncated")
		return nil
	}
	out := d.b[:n]
	d.b = d.b[n:]
	return out
}

func (d *checkpointDecoder) string() *string {
	v := d.uvarint()
	switch {
	case d.err != nil || v == 0:
		return nil
	case v == 1:
		u := d.take(16)
		if d.err != nil {
			return nil
		}
		h := hex.EncodeToString(u)
		s := h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
		return &s
	}
	s := string(d.take(v - 2))
	if d.err != nil {
		return nil
	}
	return &s
}

func (d *checkpointDecoder) time() *time.Time {
	ns := d.uvarint()
	if d.err != nil || ns == 0 {
		return nil
	}
	if ns > 1e9 {
		d.fail("time out of range")
		return nil
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail("truncated")
		return nil
	}
	d.b = d.b[n:]
	t := time.Unix(v, int64(ns-1)).UTC()
	return &t
}
