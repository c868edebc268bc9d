package token

import (
	"encoding/base64"
	"strconv"
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
		{"None with white space is a raw token, verbatim, as in botocore", " None\n", Position{NextToken: ptr(" None\n")}},
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
		{"white space and other characters outside the alphabet inside base64 are dropped, as by b64decode",
			b64(`{"nextToken": "A"}`)[:4] + " \n!-_" + b64(`{"nextToken": "A"}`)[4:], Position{NextToken: ptr("A")}},
		{"a raw token keeps its white space, as botocore sends it", " A\t", Position{NextToken: ptr(" A\t")}},
		{"a legacy token keeps its white space", " A ___3", Position{NextToken: ptr(" A "), Skip: 3}},
		{"a null amount is none", b64(`{"nextToken": "A", "boto_truncate_amount": null}`), Position{NextToken: ptr("A")}},
		{"a legacy amount as Python's int() reads it: sign", "A___+3", Position{NextToken: ptr("A"), Skip: 3}},
		{"a legacy amount as Python's int() reads it: white space", "A___\t3 ", Position{NextToken: ptr("A"), Skip: 3}},
		{"a legacy amount as Python's int() reads it: underscores", "A___1_0_0", Position{NextToken: ptr("A"), Skip: 100}},
		{"a legacy amount as Python's int() reads it: minus zero", "A___-0", Position{NextToken: ptr("A")}},
		{"two underscores in a row are no number: a raw token", "A___1__0", Position{NextToken: ptr("A___1__0")}},
		{"a leading underscore is no number: a raw token", "A____3", Position{NextToken: ptr("A____3")}},
		{"two signs are no number: a raw token", "A___+-3", Position{NextToken: ptr("A___+-3")}},
		{"a space between sign and digits is no number: a raw token", "A___- 3", Position{NextToken: ptr("A___- 3")}},
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

// Each of Decode's limits accepts a token exactly at it and refuses one
// over it, naming the limit.
func TestDecodeBounds(t *testing.T) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	// JSON white space pads a token to exactly MaxStartingToken bytes of
	// base64 (3 bytes of JSON make 4 of base64).
	obj := `{"nextToken": "A"}`
	atMax := b64(obj[:len(obj)-1] + strings.Repeat(" ", MaxStartingToken/4*3-len(obj)) + "}")
	require.Len(t, atMax, MaxStartingToken)
	longest := strings.Repeat("x", MaxServiceToken)
	amount := func(n int64) string {
		return b64(`{"nextToken": "A", "boto_truncate_amount": ` + strconv.FormatInt(n, 10) + `}`)
	}
	cases := []struct {
		name, in string
		want     Position
		refusal  string // "" when accepted
	}{
		{"a StartingToken of exactly MaxStartingToken bytes", atMax, Position{NextToken: ptr("A")}, ""},
		{"a StartingToken one byte over MaxStartingToken", atMax + "=", Position{}, "bytes, more than"},
		{"a boto_truncate_amount of exactly MaxAmount", amount(MaxAmount), Position{NextToken: ptr("A"), Skip: MaxAmount}, ""},
		{"a boto_truncate_amount one over MaxAmount", amount(MaxAmount + 1), Position{}, "at most"},
		{"a legacy amount of exactly MaxAmount", "A___" + strconv.Itoa(MaxAmount), Position{NextToken: ptr("A"), Skip: MaxAmount}, ""},
		{"a legacy amount one over MaxAmount", "A___" + strconv.FormatInt(MaxAmount+1, 10), Position{}, "at most"},
		{"a raw service token of exactly MaxServiceToken characters", longest, Position{NextToken: ptr(longest)}, ""},
		{"a raw service token one character over MaxServiceToken", longest + "x", Position{}, "more than the model's"},
		{"a JSON service token of exactly MaxServiceToken characters", b64(`{"nextToken": "` + longest + `"}`), Position{NextToken: ptr(longest)}, ""},
		{"a JSON service token one character over MaxServiceToken", b64(`{"nextToken": "` + longest + `x"}`), Position{}, "more than the model's"},
		{"MaxServiceToken counts characters, not bytes", strings.Repeat("é", MaxServiceToken), Position{NextToken: ptr(strings.Repeat("é", MaxServiceToken))}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Decode(tc.in)
			if tc.refusal != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.refusal)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}
