//! PLACEHOLDER (being written): ML building blocks.
