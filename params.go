package devsessions

import "fmt"

// cloneString returns a pointer to a copy of *s, or nil.
func cloneString(s *string) *string {
	if s == nil {
		return nil
	}
	v := *s
	return &v
}

// field is one named string input field.
type field struct {
	name  string
	value *string
}

// required returns the message for the first field that is nil or empty,
// or "".
func required(fields ...field) string {
	for _, f := range fields {
		if f.value == nil || *f.value == "" {
			return fmt.Sprintf("params.%s is required and must not be empty", f.name)
		}
	}
	return ""
}
