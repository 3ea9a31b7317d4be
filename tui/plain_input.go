package tui

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

// errPlainQuit ends the plain walk: the user typed q, or the input ended.
var errPlainQuit = errors.New("tui: plain mode: quit")

// lineInput reads the plain mode's input one line at a time in a goroutine
// of its own, so a line typed while a step runs (a pasted redirect URL)
// reaches that step, and the next prompt gets the ones after it.
type lineInput struct {
	in    io.Reader
	once  sync.Once
	lines chan string
	eof   chan struct{}
	mu    sync.Mutex
	back  []string // lines read but not used, for the next reader
}

func newLineInput(in io.Reader) *lineInput {
	return &lineInput{in: in, lines: make(chan string), eof: make(chan struct{})}
}

func (l *lineInput) start() {
	l.once.Do(func() {
		go func() {
			defer close(l.eof)
			if l.in == nil {
				return
			}
			sc := bufio.NewScanner(l.in)
			sc.Buffer(make([]byte, 64<<10), 1<<20)
			for sc.Scan() {
				l.lines <- strings.TrimRight(sc.Text(), "\r")
			}
		}()
	})
}

// next is the next line, errPlainQuit once the input has ended, or ctx's
// error.
func (l *lineInput) next(ctx context.Context) (string, error) {
	l.mu.Lock()
	if len(l.back) > 0 {
		s := l.back[0]
		l.back = l.back[1:]
		l.mu.Unlock()
		return s, nil
	}
	l.mu.Unlock()
	l.start()
	select {
	case s := <-l.lines:
		return s, nil
	case <-l.eof:
		return "", errPlainQuit
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// unread gives a line back for the next reader.
func (l *lineInput) unread(s string) {
	l.mu.Lock()
	l.back = append(l.back, s)
	l.mu.Unlock()
}

// plainWriter serialises what the walk and a waiting step's notices write.
type plainWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (p *plainWriter) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.w.Write(b)
}

func (p *plainWriter) printf(format string, args ...any) { fmt.Fprintf(p, format, args...) }

// ask prints prompt and reads a line: def when the line is empty, and
// errPlainQuit for "q".
func (p *plainWalk) ask(ctx context.Context, prompt, def string) (string, error) {
	if def != "" {
		prompt += " [" + def + "]"
	}
	p.out.printf("%s: ", prompt)
	s, err := p.in.next(ctx)
	if err != nil {
		p.out.printf("\n")
		return "", err
	}
	p.echo(s)
	s = strings.TrimSpace(s)
	switch {
	case s == "q":
		return "", errPlainQuit
	case s == "":
		return def, nil
	}
	return s, nil
}

// askSecret reads a line with the terminal's echo off, when it can be
// turned off; the typed secret is never written.
func (p *plainWalk) askSecret(ctx context.Context, prompt string) (string, error) {
	p.out.printf("%s (not shown as you type): ", prompt)
	restore := func() {}
	if p.o.HideInput != nil {
		restore = p.o.HideInput()
	}
	s, err := p.in.next(ctx)
	restore()
	p.out.printf("\n")
	return strings.TrimSpace(s), err
}

// echo repeats a line read from a script, so a transcript shows the
// answer after its prompt as a terminal would have.
func (p *plainWalk) echo(s string) {
	if p.o.Echo {
		p.out.printf("%s\n", s)
	}
}

// choose lists items numbered and reads a number or an ID; def is the
// default's ID.
func (p *plainWalk) choose(ctx context.Context, heading, what string, items []pickerItem, def string) (string, error) {
	p.out.printf("%s\n", heading)
	defN := "1"
	for i, it := range items {
		p.out.printf("  %d. %s (%s)\n", i+1, it.title, it.id)
		if it.desc != "" {
			p.out.printf("     %s\n", it.desc)
		}
		if it.id == def {
			defN = strconv.Itoa(i + 1)
		}
	}
	for {
		ans, err := p.ask(ctx, fmt.Sprintf("%s: a number from 1 to %d, or its name", what, len(items)), defN)
		if err != nil {
			return "", err
		}
		if n, err := strconv.Atoi(ans); err == nil && n >= 1 && n <= len(items) {
			return items[n-1].id, nil
		}
		for _, it := range items {
			if it.id == ans {
				return it.id, nil
			}
		}
		p.out.printf("%q is not one of them: type a number from 1 to %d, or q to quit.\n", ans, len(items))
	}
}
