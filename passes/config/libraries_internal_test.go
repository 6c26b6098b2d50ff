package config

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestLibrariesErrors(t *testing.T) {
	fsys := fstest.MapFS{
		"libraries/a.yml": {Data: []byte("functions:\n  - name: a_new\n    allocates: a_free\n  - name: a_free\n    frees: [0]\n")},
		"libraries/b.yml": {Data: []byte("disable: [cfree]\nfunctions:\n  - name: a_free\n    frees: [0]\n")},
		"libraries/c.yml": {Data: []byte("functions:\n  - name: c\n    frees: 0\n")},
	}
	_, err := libraries(fsys, "libraries")
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		"libraries/b.yml:1: disable: library data may not disable checks",
		"libraries/b.yml: functions[0].name: a_free is already described by a.yml",
		`libraries/c.yml:3: functions[0].frees: want a list of parameter indices, got "0"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}
