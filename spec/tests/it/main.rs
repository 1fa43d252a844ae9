//! Integration tests of the description language, linked as one binary.

mod examples;
mod fixtures;
mod minimal;
