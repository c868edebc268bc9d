package devsessions

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawToken encodes b as a token of this format.
func rawToken(b []byte) string { return spaceTokenPrefix + base64.RawURLEncoding.EncodeToString(b) }

// tokenBytes builds a token's bytes: scope, full fingerprints, then partial
// dev environments (each a fingerprint and its sessions' fingerprints).
func tokenBytes(space string, project *string, full []fingerprint, partial ...[]fingerprint) []byte {
	b := appendString(nil, space)
	if project == nil {
		b = append(b, 0)
	} else {
		b = appendString(append(b, 1), *project)
	}
	b = appendFingerprints(b, full)
	b = binary.AppendUvarint(b, uint64(len(partial)))
	for _, pe := range partial {
		b = append(b, pe[0][:]...)
		b = appendFingerprints(b, pe[1:])
	}
	return b
}

func fps(ids ...string) []fingerprint {
	out := make([]fingerprint, len(ids))
	for i, id := range ids {
		out[i] = fingerprintOf(id)
	}
	return out
}

func TestSpaceTokenRoundTrip(t *testing.T) {
	project := "proj"
	for _, pr := range []*string{nil, &project} {
		p := newSpacePosition("space", pr)
		p.markFull(fingerprintOf("e1"))
		p.markSession(fingerprintOf("e2"), fingerprintOf("s1"))
		p.markSession(fingerprintOf("e2"), fingerprintOf("s2"))
		p.markSession(fingerprintOf("e3"), fingerprintOf("s3"))
		p.markFull(fingerprintOf("e3")) // delivered in full at last: its sessions are forgotten
		got, err := decodeSpacePosition(p.encode(), "space", pr)
		require.NoError(t, err)
		assert.Equal(t, p.encode(), got.encode())
		assert.True(t, got.inFull(fingerprintOf("e1")))
		assert.True(t, got.inFull(fingerprintOf("e3")))
		assert.Nil(t, got.inPart(fingerprintOf("e3")))
		assert.True(t, got.delivered(fingerprintOf("e2"), fingerprintOf("s2")))
		assert.False(t, got.delivered(fingerprintOf("e2"), fingerprintOf("s3")))
		assert.False(t, got.inFull(fingerprintOf("e2")))
	}
}

func TestSpaceTokenRefusals(t *testing.T) {
	project, other := "proj", "other"
	good := tokenBytes("space", nil, fps("e1"), fps("e2", "s1"))
	cases := []struct {
		name    string
		token   string
		project *string
		mention string
	}{
		{"a token of the first format", "dss1.eyJzcGFjZSI6InNwYWNlIiwiZW52IjoiIn0", nil, "start over"},
		{"a paginator's token", "eyJuZXh0VG9rZW4iOiBudWxsfQ==", nil, "not a SpaceSessions token"},
		{"not base64url", spaceTokenPrefix + "a+b/", nil, "base64url"},
		{"cut short", rawToken(good[:len(good)-1]), nil, "cut short"},
		{"trailing data", rawToken(append(good, 0)), nil, "1 bytes after the end"},
		{"an unknown scope mark", rawToken(append(appendString(nil, "space"), 2, 0, 0)), nil, "damaged"},
		{"a count beyond the token", rawToken(append(append(appendString(nil, "space"), 0), 0x7f)), nil, "damaged"},
		{"a dev environment in full twice", rawToken(tokenBytes("space", nil, fps("e1", "e1"))), nil, "in full twice"},
		{"in full and in part", rawToken(tokenBytes("space", nil, fps("e1"), fps("e1", "s1"))), nil, "both in full and in part"},
		{"in part twice", rawToken(tokenBytes("space", nil, nil, fps("e1", "s1"), fps("e1", "s2"))), nil, "in part twice"},
		{"in part without a session", rawToken(tokenBytes("space", nil, nil, fps("e1"))), nil, "without a session"},
		{"a session twice", rawToken(tokenBytes("space", nil, nil, fps("e1", "s1", "s1"))), nil, "a session delivered twice"},
		{"another space", rawToken(tokenBytes("other", nil, nil)), nil, `made for space "other", not "space"`},
		{"the whole space's for a project", rawToken(good), &project, `made for the whole space, not project "proj"`},
		{"a project's for the whole space", rawToken(tokenBytes("space", &project, nil)), nil, `made for project "proj", not the whole space`},
		{"another project", rawToken(tokenBytes("space", &other, nil)), &project, `made for project "other", not project "proj"`},
		{"too long", spaceTokenPrefix + strings.Repeat("A", maxSpaceToken+1), nil, "too long"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decodeSpacePosition(tc.token, "space", tc.project)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.mention)
		})
	}
	t.Run("the good one decodes", func(t *testing.T) {
		_, err := decodeSpacePosition(rawToken(good), "space", nil)
		require.NoError(t, err)
	})
}

func TestSpaceTokenForAPaginator(t *testing.T) {
	for _, prefix := range []string{"dss1.", "dss2."} {
		assert.Contains(t, spaceToken(" "+prefix+"abc"), prefix, "a SpaceSessions token, either format")
	}
	assert.Empty(t, spaceToken("eyJuZXh0VG9rZW4iOiBudWxsfQ=="))
}

// Each dev environment delivered in full adds one fingerprint: 6 bytes, 8
// characters of base64url (plus one byte where its count needs one more).
func TestSpaceTokenGrowth(t *testing.T) {
	p := newSpacePosition("space", nil)
	prev := len(p.encode())
	for i := range 1000 {
		p.markFull(fingerprintOf(fmt.Sprintf("env-%d", i)))
		n := len(p.encode())
		switch i + 1 {
		case 128: // the count's varint grows from 1 byte to 2
			assert.InDelta(t, 8+4.0/3, n-prev, 1)
		default:
			assert.InDelta(t, 8, n-prev, 1, "after %d", i+1)
		}
		prev = n
	}
	// Its sessions make a dev environment delivered in part grow by 8 characters each.
	before := len(p.encode())
	for j := range 10 {
		p.markSession(fingerprintOf("part"), fingerprintOf(fmt.Sprint(j)))
	}
	assert.InDelta(t, 8+10*8, len(p.encode())-before, 2)
}

// Any string either decodes or is refused, never a panic; what decodes
// encodes to a token that decodes to the same position.
func FuzzDecodeSpacePosition(f *testing.F) {
	project := "proj"
	p := newSpacePosition("space", nil)
	p.markFull(fingerprintOf("e1"))
	p.markSession(fingerprintOf("e2"), fingerprintOf("s1"))
	f.Add(p.encode(), false)
	f.Add(rawToken(tokenBytes("space", &project, fps("a", "b"), fps("c", "d", "e"))), true)
	f.Add(spaceTokenPrefix, false)
	f.Add("dss1.e30", false)
	f.Fuzz(func(t *testing.T, tok string, withProject bool) {
		var pr *string
		if withProject {
			pr = &project
		}
		got, err := decodeSpacePosition(tok, "space", pr)
		if err != nil {
			return
		}
		again, err := decodeSpacePosition(got.encode(), "space", pr)
		require.NoError(t, err)
		require.Equal(t, got.encode(), again.encode())
	})
}
