//! Typed async client for the Headout Partner API, generated from `spec/headout.yaml`.
