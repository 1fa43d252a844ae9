//! Integration tests of the description language, linked as one binary.

mod minimal;
