package locustfile

// import statements: import a.b as c and from a import (b as c, d).

func (p *parser) importStmt() (stmt, error) {
	s := &importStmt{ln: p.next().line}
	for {
		a, err := p.alias(true)
		if err != nil {
			return nil, err
		}
		s.names = append(s.names, a)
		if !p.isOp(",") {
			return s, nil
		}
		p.next()
	}
}

// alias reads "name" or "name as other"; a dotted name if dotted.
func (p *parser) alias(dotted bool) (alias, error) {
	t, err := p.ident()
	if err != nil {
		return alias{}, err
	}
	a := alias{ln: t.line, name: t.text}
	for dotted && p.isOp(".") {
		p.next()
		part, err := p.ident()
		if err != nil {
			return a, err
		}
		a.name += "." + part.text
	}
	if p.isKw("as") {
		p.next()
		as, err := p.ident()
		if err != nil {
			return a, err
		}
		a.as = as.text
	}
	return a, nil
}

func (p *parser) fromImport() (stmt, error) {
	s := &fromImport{ln: p.next().line}
	if p.isOp(".") || p.isOp("...") {
		return nil, p.r.unsupported(s.ln, "a relative import", "a locustfile imports only from locust and random")
	}
	mod, err := p.alias(true)
	if err != nil {
		return nil, err
	}
	s.module = mod.name
	if !p.isKw("import") {
		return nil, p.unexpected("'import'")
	}
	p.next()
	if p.isOp("*") {
		p.next()
		s.star = true
		return s, nil
	}
	paren := p.isOp("(")
	if paren {
		p.next()
	}
	for {
		a, err := p.alias(false)
		if err != nil {
			return nil, err
		}
		s.names = append(s.names, a)
		if !p.isOp(",") {
			break
		}
		p.next()
		if paren && p.isOp(")") {
			break
		}
	}
	if paren {
		return s, p.expectOp(")")
	}
	return s, nil
}
