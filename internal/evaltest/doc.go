// Package evaltest runs the whole product end to end on data nobody here
// wrote: the seed articles and the public benchmarks in ../shared, scored by
// the benchmarks' own scorers through the export contract. It holds tests only.
package evaltest
