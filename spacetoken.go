package devsessions

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
)

// spaceTokenPrefix starts every SpaceSessions token this version makes; its
// digit is the format's version.
const spaceTokenPrefix = "dss2."

// oldSpaceTokenPrefix started the tokens of the first format, which recorded
// where the service was rather than what was delivered. Such a token is
// refused: it cannot say which dev environments before it were delivered.
const oldSpaceTokenPrefix = "dss1."

// maxSpaceToken is the longest SpaceSessions token accepted, in bytes:
// about 130,000 dev environments delivered in full.
const maxSpaceToken = 1 << 20

// The token is spaceTokenPrefix followed by unpadded base64url of:
//
//	uvarint len(space), space
//	0 (the whole space), or 1, uvarint len(project), project
//	uvarint n, then n fingerprints: the dev environments delivered in full
//	uvarint m, then m times: a dev environment's fingerprint, uvarint k > 0,
//	    k fingerprints of its sessions delivered (the dev environments
//	    delivered in part)
//
// Nothing may follow; no fingerprint may appear twice in a set, nor a dev
// environment both in full and in part.

// encode returns the token of p.
func (p *spacePosition) encode() string {
	n := 8 + len(p.space) + len(p.full)*fingerprintSize
	if p.project != nil {
		n += len(*p.project)
	}
	for _, pe := range p.partial {
		n += 12 + len(pe.sessions)*fingerprintSize
	}
	b := make([]byte, 0, n)
	b = appendString(b, p.space)
	if p.project == nil {
		b = append(b, 0)
	} else {
		b = appendString(append(b, 1), *p.project)
	}
	b = appendFingerprints(b, p.full)
	b = binary.AppendUvarint(b, uint64(len(p.partial)))
	for _, pe := range p.partial {
		b = append(b, pe.env[:]...)
		b = appendFingerprints(b, pe.sessions)
	}
	return spaceTokenPrefix + base64.RawURLEncoding.EncodeToString(b)
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func appendFingerprints(b []byte, fps []fingerprint) []byte {
	b = binary.AppendUvarint(b, uint64(len(fps)))
	for _, f := range fps {
		b = append(b, f[:]...)
	}
	return b
}

var errDamaged = errors.New("damaged")

// tokenReader reads the binary token; the first error sticks.
type tokenReader struct {
	b   []byte
	err error
}

func (r *tokenReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errDamaged
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *tokenReader) bytes(n uint64) []byte {
	if r.err != nil {
		return nil
	}
	if n > uint64(len(r.b)) {
		r.err = errDamaged
		return nil
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

func (r *tokenReader) byte() byte {
	if b := r.bytes(1); len(b) == 1 {
		return b[0]
	}
	return 0
}

func (r *tokenReader) fingerprint() (f fingerprint) {
	copy(f[:], r.bytes(fingerprintSize))
	return f
}

// count reads a count of fingerprints that the rest of the token can hold.
func (r *tokenReader) count() int {
	n := r.uvarint()
	if r.err == nil && n > uint64(len(r.b)/fingerprintSize) {
		r.err = errDamaged
	}
	if r.err != nil {
		return 0
	}
	return int(n)
}

// decodeSpacePosition reads a SpaceSessions token made for space and project.
func decodeSpacePosition(s, space string, project *string) (*spacePosition, error) {
	s = strings.TrimSpace(s)
	rest, ok := strings.CutPrefix(s, spaceTokenPrefix)
	switch {
	case !ok && strings.HasPrefix(s, oldSpaceTokenPrefix):
		return nil, fmt.Errorf("a token of the first SpaceSessions format (%q), which does not record what was delivered and cannot be resumed exactly: start over without StartingToken", oldSpaceTokenPrefix)
	case !ok:
		return nil, fmt.Errorf("not a SpaceSessions token (it must start with %q; a paginator's or the AWS CLI's token does not resume a space-wide listing)", spaceTokenPrefix)
	case len(rest) > maxSpaceToken:
		return nil, fmt.Errorf("too long: %d bytes, more than the %d allowed", len(rest), maxSpaceToken)
	}
	raw, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil {
		return nil, errors.New("damaged: not unpadded base64url")
	}
	r := &tokenReader{b: raw}
	p := newSpacePosition(string(r.bytes(r.uvarint())), nil)
	switch r.byte() {
	case 0:
	case 1:
		pr := string(r.bytes(r.uvarint()))
		p.project = &pr
	default:
		r.err = errDamaged
	}
	for range r.count() {
		f := r.fingerprint()
		if _, dup := p.fullSet[f]; dup && r.err == nil {
			return nil, errors.New("damaged: a dev environment delivered in full twice")
		}
		p.markFull(f)
	}
	for range r.uvarint() {
		env := r.fingerprint()
		k := r.count()
		if r.err != nil {
			break
		}
		switch {
		case k == 0:
			return nil, errors.New("damaged: a dev environment delivered in part without a session")
		case p.inFull(env):
			return nil, errors.New("damaged: a dev environment delivered both in full and in part")
		case p.inPart(env) != nil:
			return nil, errors.New("damaged: a dev environment delivered in part twice")
		}
		for range k {
			f := r.fingerprint()
			if pe := p.inPart(env); pe != nil && pe.has(f) {
				return nil, errors.New("damaged: a session delivered twice")
			}
			p.markSession(env, f)
		}
	}
	switch {
	case r.err != nil:
		return nil, errors.New("damaged: cut short or not of this format")
	case len(r.b) > 0:
		return nil, fmt.Errorf("damaged: %d bytes after the end", len(r.b))
	case p.space != space:
		return nil, fmt.Errorf("made for space %q, not %q", p.space, space)
	case (p.project == nil) != (project == nil) || (project != nil && *p.project != *project):
		return nil, fmt.Errorf("made for %s, not %s", scope(p.project), scope(project))
	}
	return p, nil
}

// spaceToken says why a paginator refuses a SpaceSessions token, or "".
func spaceToken(s string) string {
	s = strings.TrimSpace(s)
	for _, prefix := range []string{spaceTokenPrefix, oldSpaceTokenPrefix} {
		if strings.HasPrefix(s, prefix) {
			return "a SpaceSessions token (\"" + prefix + "...\"): it resumes NewSpaceSessions, not a paginator"
		}
	}
	return ""
}

func scope(project *string) string {
	if project == nil {
		return "the whole space"
	}
	return fmt.Sprintf("project %q", *project)
}
