-- Argo CD actions offered on a JwtSecret.
local actions = {}
actions["rotate"] = {}
return actions
