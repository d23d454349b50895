package locustfile

// The tree the parser builds: only the statements and expressions of the
// subset, plus those the reader refuses by name after parsing (operators,
// class keywords, parameters, ...). Every node knows its line for errors.

type stmt interface{ pos() int }

type expr interface{ line() int }

type (
	importStmt struct {
		ln    int
		names []alias // import a.b as c, d
	}
	fromImport struct {
		ln     int
		module string
		names  []alias
		star   bool
	}
	alias struct {
		ln       int
		name, as string
	}
	classDef struct {
		ln         int
		name       string
		bases      []expr
		keywords   []keyword
		decorators []expr
		body       []stmt
	}
	funcDef struct {
		ln         int
		name       string
		params     []param
		returns    expr // the -> annotation, or nil
		decorators []expr
		body       []stmt
	}
	param struct {
		name       string
		star       string // "*", "**" or "/" for those markers
		hasDefault bool
		hasAnnot   bool
	}
	// assign is x = v (op ""), an augmented x += v (op "+="), or an
	// annotated x: T = v (op ":").
	assign struct {
		ln      int
		targets []expr
		value   expr
		op      string
	}
	exprStmt struct {
		ln int
		x  expr
	}
	passStmt struct{ ln int }
)

func (s *importStmt) pos() int { return s.ln }
func (s *fromImport) pos() int { return s.ln }
func (s *classDef) pos() int   { return s.ln }
func (s *funcDef) pos() int    { return s.ln }
func (s *assign) pos() int     { return s.ln }
func (s *exprStmt) pos() int   { return s.ln }
func (s *passStmt) pos() int   { return s.ln }

type (
	nameExpr struct {
		ln int
		id string
	}
	attrExpr struct {
		ln   int
		x    expr
		name string
	}
	callExpr struct {
		ln     int
		fn     expr
		args   []expr
		kwargs []keyword
	}
	keyword struct {
		ln    int
		name  string
		value expr
	}
	indexExpr struct {
		ln       int
		x, index expr
	}
	// strExpr is one string literal or several adjacent ones, which
	// Python joins.
	strExpr struct {
		ln    int
		parts []strPart
		f     bool // some part was an f-string
	}
	numExpr struct {
		ln  int
		num numLit
	}
	constExpr struct {
		ln    int
		value string // True, False or None
	}
	listExpr struct {
		ln    int
		elts  []expr
		tuple bool
	}
	dictExpr struct {
		ln           int
		keys, values []expr
	}
	binExpr struct {
		ln   int
		op   string
		l, r expr
	}
	unaryExpr struct {
		ln int
		op string
		x  expr
	}
)

func (e *nameExpr) line() int  { return e.ln }
func (e *attrExpr) line() int  { return e.ln }
func (e *callExpr) line() int  { return e.ln }
func (e *indexExpr) line() int { return e.ln }
func (e *strExpr) line() int   { return e.ln }
func (e *numExpr) line() int   { return e.ln }
func (e *constExpr) line() int { return e.ln }
func (e *listExpr) line() int  { return e.ln }
func (e *dictExpr) line() int  { return e.ln }
func (e *binExpr) line() int   { return e.ln }
func (e *unaryExpr) line() int { return e.ln }

// text is a string literal's text when it has no fields.
func (e *strExpr) text() (string, bool) {
	s := ""
	for _, p := range e.parts {
		if p.isVar {
			return "", false
		}
		s += p.lit
	}
	return s, true
}

// keywords are Python's reserved words: never a name. Read only.
var keywords = map[string]bool{"False": true, "None": true, "True": true, "and": true,
	"as": true, "assert": true, "async": true, "await": true, "break": true, "class": true,
	"continue": true, "def": true, "del": true, "elif": true, "else": true, "except": true,
	"finally": true, "for": true, "from": true, "global": true, "if": true, "import": true,
	"in": true, "is": true, "lambda": true, "nonlocal": true, "not": true, "or": true,
	"pass": true, "raise": true, "return": true, "try": true, "while": true, "with": true,
	"yield": true}
