package token

import (
	"encoding/base64"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func ptr(s string) *string { return &s }

// The expected strings are the ones botocore 1.43's TokenEncoder produces
// (shared/reference/botocore-pagination.md §3).
func TestEncodeMatchesBotocore(t *testing.T) {
	cases := []struct {
		name string
		pos  Position
		want string
	}{
		{"page boundary", Position{NextToken: ptr("tok-25")}, "eyJuZXh0VG9rZW4iOiAidG9rLTI1In0="},
		{"inside a page", Position{NextToken: ptr("tok-25"), Skip: 5}, "eyJuZXh0VG9rZW4iOiAidG9rLTI1IiwgImJvdG9fdHJ1bmNhdGVfYW1vdW50IjogNX0="},
		{"inside the first page", Position{Skip: 5}, "eyJuZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiA1fQ=="},
		{"AWS CLI demo", Position{NextToken: ptr("tok-2"), Skip: 1}, "eyJuZXh0VG9rZW4iOiAidG9rLTIiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Encode(tc.pos))
		})
	}
}

func TestEncodeUsesPythonJSONDialect(t *testing.T) {
	cases := map[string]string{
		"ключ-ü-😀-10":      `"\u043a\u043b\u044e\u0447-\u00fc-\ud83d\ude00-10"`,
		"a\"b\\c":          `"a\"b\\c"`,
		"\n\r\t\b\f":       `"\n\r\t\b\f"`,
		"\x00\x1f\x7f":     `"\u0000\u001f\u007f"`,
		"\u2028</a>&'":     `"\u2028</a>&'"`,
		"bad\xffutf8":      `"bad\ufffdutf8"`,
		"tok/+=~ padded==": `"tok/+=~ padded=="`,
	}
	for in, want := range cases {
		t.Run(want, func(t *testing.T) {
			raw, err := base64.StdEncoding.DecodeString(Encode(Position{NextToken: &in}))
			require.NoError(t, err)
			assert.Equal(t, `{"nextToken": `+want+`}`, string(raw))
		})
	}
}

func TestDecode(t *testing.T) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	cases := []struct {
		name string
		in   string
		want Position
	}{
		{"botocore token", b64(`{"nextToken": "A", "boto_truncate_amount": 3}`), Position{NextToken: ptr("A"), Skip: 3}},
		{"compact JSON", b64(`{"boto_truncate_amount":3,"nextToken":"A"}`), Position{NextToken: ptr("A"), Skip: 3}},
		{"null token", b64(`{"nextToken": null}`), Position{}},
		{"JSON None is a literal token", b64(`{"nextToken": "None"}`), Position{NextToken: ptr("None")}},
		{"legacy", "A___7", Position{NextToken: ptr("A"), Skip: 7}},
		{"legacy None", "None___2", Position{Skip: 2}},
		{"None alone is the first page, as in botocore", "None", Position{}},
		{"None alone with white space", " None\n", Position{}},
		{"None in another case is a raw token", "none", Position{NextToken: ptr("none")}},
		{"raw", "A", Position{NextToken: ptr("A")}},
		{"raw with one separator and no number", "A___x", Position{NextToken: ptr("A___x")}},
		{"unpadded base64 is a raw token", strings.TrimRight(b64(`{"nextToken": "AB"}`), "="), Position{NextToken: ptr(strings.TrimRight(b64(`{"nextToken": "AB"}`), "="))}},
		{"base64 of a JSON list is a raw token", "WzFd", Position{NextToken: ptr("WzFd")}},
		{"invalid JSON (a leading zero) is a raw token, as in botocore", b64(`{"nextToken": "A", "boto_truncate_amount": 07}`),
			Position{NextToken: ptr(b64(`{"nextToken": "A", "boto_truncate_amount": 07}`))}},
		{"a botocore token cut short is a raw token", b64(`{"nextToken": "A", "boto_truncate_amount": `),
			Position{NextToken: ptr(b64(`{"nextToken": "A", "boto_truncate_amount": `))}},
		{"surrounding white space", "\t" + b64(`{"nextToken": "A"}`) + "\r\n", Position{NextToken: ptr("A")}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Decode(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		"eyJuZXh0VG9rZW4iOiAidG9rLTI1IiwgImJvdG9fdHJ1bmNhdGVfYW1vdW50IjogNX0=",
		"eyJuZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiA1fQ==",
		"tok-10___3", "None___2", "a___b___c", "WzFd", "MTIz", "e30=", "tok",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Decode(s)
		if err != nil {
			return
		}
		if p.NextToken != nil {
			n := utf8.RuneCountInString(*p.NextToken)
			if n < 1 || n > MaxServiceToken {
				t.Fatalf("accepted a service token of %d characters", n)
			}
		}
		if p.Skip < 0 || p.Skip > MaxAmount {
			t.Fatalf("accepted amount %d", p.Skip)
		}
		enc := Encode(p)
		if len(enc) > 8*MaxServiceToken+128 {
			t.Fatalf("encoding grew to %d bytes", len(enc))
		}
		if p.NextToken != nil && !utf8.ValidString(*p.NextToken) {
			return // invalid UTF-8 is encoded as U+FFFD, like a JSON decoder would
		}
		back, err := Decode(enc)
		if err != nil {
			t.Fatalf("Decode(Encode(%+v)): %v", p, err)
		}
		if !equal(p, back) {
			t.Fatalf("round trip changed %+v into %+v", p, back)
		}
	})
}

func equal(a, b Position) bool {
	if a.Skip != b.Skip || (a.NextToken == nil) != (b.NextToken == nil) {
		return false
	}
	return a.NextToken == nil || *a.NextToken == *b.NextToken
}

// BenchmarkDecode measures resuming from a token the AWS CLI printed.
func BenchmarkDecode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode("eyJuZXh0VG9rZW4iOiAidG9rLTI1IiwgImJvdG9fdHJ1bmNhdGVfYW1vdW50IjogNX0="); err != nil {
			b.Fatal(err)
		}
	}
}
