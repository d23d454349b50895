package load

import (
	"crypto/tls"
	"net/url"
	"time"

	"exp/input"
	"exp/scenario"
	"exp/units"
)

// Model is the load model of a run, stored by its name.
type Model string

const (
	Closed Model = "closed" // N virtual users, each waits for its response
	Open   Model = "open"   // requests at a fixed arrival rate, independent of responses
)

// Arrivals is how the open model spaces its arrivals.
type Arrivals string

const (
	Uniform Arrivals = "uniform" // at exact intervals of 1/rate
	Poisson Arrivals = "poisson" // a Poisson process of the scheduled rate
)

// RunConfig is everything that shapes a run's load. It is stored with the
// run (as JSON and in columns of runs), so field names are part of the
// store's public interface.
type RunConfig struct {
	Name  string `json:"name"`
	URL   string `json:"target_url"` // base URL: scheme, host and port
	Model Model  `json:"model"`      // Closed or Open
	Tasks []Task `json:"tasks"`
	Wait  Wait   `json:"-"`
	WaitS string `json:"wait"` // Wait as text, for the store
	Users int    `json:"users"`
	// SpawnRate is users started (or stopped) per second.
	SpawnRate float64       `json:"spawn_rate"`
	Duration  time.Duration `json:"duration_ns"`
	// Stages, when set, replace Users and Duration (closed model).
	Stages []Stage `json:"stages,omitempty"`
	// Rate is requests per second (open model); RateStages ramp it.
	Rate        float64       `json:"rate,omitempty"`
	RateStages  []RateStage   `json:"rate_stages,omitempty"`
	Arrivals    Arrivals      `json:"arrivals,omitempty"` // Uniform or Poisson
	MaxInflight int           `json:"max_inflight,omitempty"`
	Timeout     time.Duration `json:"timeout_ns"`
	KeepAlive   bool          `json:"keepalive"`
	// Headers are sent with every request. Stored with secrets redacted.
	Headers map[string]string `json:"headers,omitempty"`
	// TLS is how clients speak to an https:// target.
	TLS TLSConfig `json:"tls,omitempty"`
	// HTTP2 sends the load over HTTP/2 (net/http's client): h2 by ALPN
	// over https://, h2c with prior knowledge over http://. H2Streams
	// users (or open-model workers) share each connection, so it carries
	// up to that many concurrent streams (0 or 1: a connection each).
	HTTP2     bool `json:"http2,omitempty"`
	H2Streams int  `json:"h2_streams,omitempty"`
	// Scenario, when set, is what the users do (closed model): each user
	// belongs to one of its classes and runs its flows; Tasks are then its
	// endpoints (ScenarioTasks), which the figures are grouped by.
	Scenario *scenario.Scenario `json:"-"`
	// ScenarioFile is the scenario as written, YAML with secrets redacted,
	// and ScenarioData its data files: stored so that a run can be read
	// and made again.
	ScenarioFile string         `json:"scenario,omitempty"`
	ScenarioData []ScenarioData `json:"scenario_data,omitempty"`
	// Segment, when it is not the whole, makes this run one worker's
	// share of a test split across machines; the rest of the config is
	// the whole test's.
	Segment Segment `json:"segment,omitzero"`
	// Seed seeds the open model's arrivals and task picks (0: the start
	// time); the workers of a split test share it, so they walk the same
	// schedule.
	Seed uint64 `json:"seed,omitempty"`

	// tlsClient is TLS built by Validate from the files TLS names: every
	// client of the run starts from it and shares its session cache.
	tlsClient *tls.Config
}

// ScenarioData names a data file a scenario read and its content's hash.
type ScenarioData struct {
	Name   string `json:"name"`
	File   string `json:"file"`
	SHA256 string `json:"sha256"`
	Rows   int    `json:"rows"`
}

// Bounds of a config, so that a mistyped value is refused before it
// takes the machine or reaches the store (NaN and ±Inf fail every one).
const (
	MaxRate     = 1e7                 // requests per second
	MaxSpawn    = 1e6                 // users per second
	MaxUsers    = 1_000_000           // virtual users
	MaxInflight = 1_000_000           // open model: requests in flight
	MaxDuration = 30 * 24 * time.Hour // a run
	MaxTimeout  = time.Hour           // a request
	MaxStreams  = 1000                // HTTP/2 streams a connection carries
)

// Validate checks a config before any load is sent; its errors are
// *input.Error naming the field at fault.
func (c *RunConfig) Validate() error {
	for _, b := range []byte(c.URL) {
		if b <= ' ' || b == 0x7f {
			return input.Errorf("url", "%q: holds a space or control character (encode it: %%20)", c.URL)
		}
	}
	u, err := url.Parse(c.URL)
	if err != nil || u.Host == "" {
		return input.Errorf("url", "%q: want an absolute URL such as http://127.0.0.1:8080", c.URL)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return input.Errorf("url", "%q: scheme must be http or https, not %q", c.URL, u.Scheme)
	}
	if err := c.validateProtocol(); err != nil {
		return err
	}
	if c.Scenario != nil {
		if err := c.validateScenario(); err != nil {
			return err
		}
	} else if len(c.Tasks) == 0 {
		return input.Errorf("tasks", "is empty: want path:weight,... such as %q", DefaultTasks)
	}
	if c.Timeout <= 0 || c.Timeout > MaxTimeout {
		return input.Errorf("timeout", "must be above zero and at most %v, got %v", MaxTimeout, c.Timeout)
	}
	if c.Duration < 0 || c.Duration > MaxDuration || c.TotalDuration() > MaxDuration {
		return input.Errorf("duration", "must be at most %v, got %v", MaxDuration, c.TotalDuration())
	}
	if err := c.Segment.Validate(); err != nil {
		return err
	}
	switch c.Model {
	case Closed:
		if len(c.Stages) == 0 {
			if c.Users <= 0 || c.Users > MaxUsers {
				return input.Errorf("users", "must be from 1 to %d, got %d", MaxUsers, c.Users)
			}
			if c.Duration <= 0 {
				return input.Errorf("duration", "must be above zero, got %v", c.Duration)
			}
		}
		if !(c.SpawnRate > 0) || c.SpawnRate > MaxSpawn {
			return input.Errorf("spawn-rate", "must be a number above zero and at most %s, got %s", units.Exact(MaxSpawn), units.Exact(c.SpawnRate))
		}
	case Open:
		if len(c.RateStages) == 0 {
			if !(c.Rate > 0) || c.Rate > MaxRate {
				return input.Errorf("rate", "must be a number above zero and at most %s, got %s", units.Exact(MaxRate), units.Exact(c.Rate))
			}
			if c.Duration <= 0 {
				return input.Errorf("duration", "must be above zero, got %v", c.Duration)
			}
		}
		if c.MaxInflight <= 0 || c.MaxInflight > MaxInflight {
			return input.Errorf("max-inflight", "must be from 1 to %d, got %d", MaxInflight, c.MaxInflight)
		}
		if c.Arrivals != Uniform && c.Arrivals != Poisson {
			return input.Errorf("arrivals", "%q: want uniform or poisson", c.Arrivals)
		}
	default:
		return input.Errorf("model", "%q: want closed or open", c.Model)
	}
	return nil
}

// validateProtocol checks the HTTP/2 and TLS settings and builds the TLS
// configuration the clients share (reading the files it names).
func (c *RunConfig) validateProtocol() error {
	if c.H2Streams < 0 || c.H2Streams > MaxStreams {
		return input.Errorf("h2-streams", "must be from 1 to %d, got %d", MaxStreams, c.H2Streams)
	}
	if c.H2Streams > 1 && !c.HTTP2 {
		return input.Errorf("h2-streams", "%d needs %v", c.H2Streams, input.Name("http2"))
	}
	conf, err := c.TLS.build(c.HTTP2)
	if err != nil {
		return err
	}
	c.tlsClient = conf
	return nil
}

// TotalDuration is the planned length of the run.
func (c *RunConfig) TotalDuration() time.Duration {
	switch {
	case c.Model == Closed && len(c.Stages) > 0:
		return StagesDuration(c.Stages)
	case c.Model == Open && len(c.RateStages) > 0:
		return RateStagesDuration(c.RateStages)
	}
	return c.Duration
}
