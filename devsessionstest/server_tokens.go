package devsessionstest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"strings"
)

// A Server's page tokens are base64url (no padding) of the offset of the
// page's first item (8 bytes), a salt (4 bytes: 0, or the request's number
// for a token an Empty fault spells differently) and a MAC (16 bytes) of
// both and the listing's scope under the server's Seed. A token is valid in
// the listing that issued it only, at an offset up to the listing's length.

// scope names one listing: the operation and the values that choose its
// items (path members, filters, window).
func scope(op string, parts ...string) string {
	return op + "\x00" + strings.Join(parts, "\x00")
}

// token returns the opaque token for offset in the listing sc.
func (s *Server) token(sc string, offset int, salt int) string {
	b := binary.BigEndian.AppendUint64(make([]byte, 0, 12+16), uint64(offset))
	b = binary.BigEndian.AppendUint32(b, uint32(salt))
	return base64.RawURLEncoding.EncodeToString(append(b, s.mac(sc, b)...))
}

// parseToken returns the offset token t stands for in the listing sc of n
// items, and false for a token that listing did not issue.
func (s *Server) parseToken(sc string, t string, n int) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(t)
	if err != nil || len(b) != 12+16 || !hmac.Equal(b[12:], s.mac(sc, b[:12])) {
		return 0, false
	}
	off := binary.BigEndian.Uint64(b[:8])
	if off > uint64(n) {
		return 0, false
	}
	return int(off), true
}

func (s *Server) mac(sc string, payload []byte) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(sc))
	m.Write([]byte{0})
	m.Write(payload)
	return m.Sum(nil)[:16]
}
