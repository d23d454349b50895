package scenario

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/parser"

	"exp/input"
)

// Read loads a scenario file: YAML decoded strictly (an unknown key is an
// error), then compiled. Errors are *input.Error of field "scenario", one
// line naming the file and line.
func Read(path string, opt Options) (*Scenario, []byte, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, input.Errorf("scenario", "%v", err)
	}
	f, err := Decode(path, src)
	if err != nil {
		return nil, src, err
	}
	if opt.Dir == "" {
		opt.Dir = filepath.Dir(path)
	}
	sc, err := Compile(f, opt)
	if err != nil {
		return nil, src, Located(path, src, err)
	}
	return sc, src, nil
}

var yamlPos = regexp.MustCompile(`^\[(\d+):(\d+)\]\s*`)

// Decode reads the YAML of a scenario file.
func Decode(path string, src []byte) (f *File, err error) {
	// The YAML reader panics on some malformed input (a tag where a
	// sequence belongs, found by FuzzScenario): bad input, not a crash.
	defer func() {
		if p := recover(); p != nil {
			f, err = nil, input.Errorf("scenario", "%s:1: not YAML the reader can parse (%v)", path, oneLine(fmt.Sprint(p)))
		}
	}()
	f = &File{}
	if err := yaml.UnmarshalWithOptions(src, f, yaml.DisallowUnknownField()); err != nil {
		msg := yaml.FormatError(err, false, false)
		msg, _, _ = strings.Cut(msg, "\n")
		line := "1"
		if m := yamlPos.FindStringSubmatch(msg); m != nil {
			line, msg = m[1], msg[len(m[0]):]
		}
		return nil, input.Errorf("scenario", "%s:%s: %s", path, line, msg)
	}
	return f, nil
}

func oneLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// Located turns a compile error at a YAML path into one line naming the
// file and the line of that path (or of its nearest parent present).
func Located(path string, src []byte, err error) error {
	var pe *PathError
	if !errors.As(err, &pe) {
		return input.Errorf("scenario", "%s: %v", path, err)
	}
	return input.Errorf("scenario", "%s:%d: %s: %v", path, lineOf(src, pe.Path), pe.Path, pe.Err)
}

func lineOf(src []byte, p string) int {
	file, err := parser.ParseBytes(src, 0)
	if err != nil {
		return 1
	}
	for p != "" {
		if yp, err := yaml.PathString("$." + p); err == nil {
			if n, err := yp.FilterFile(file); err == nil && n != nil {
				return n.GetToken().Position.Line
			}
		}
		i := strings.LastIndexAny(p, ".[")
		if i <= 0 {
			break
		}
		p = p[:i]
	}
	return 1
}

// Marshal prints a scenario file as YAML.
func Marshal(f *File) ([]byte, error) {
	return yaml.MarshalWithOptions(f, yaml.Indent(2), yaml.IndentSequence(true))
}
