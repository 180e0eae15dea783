"""``deployer diagram``'s domain: a picture read from templates, drawn as DOT, SVG or PNG."""
