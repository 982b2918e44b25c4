-- Argo CD action "rotate": asks for one planned rotation now, as `jwt-secret-operator rotate` does,
-- by setting the annotation jwt.photoapp.io/rotate-after to the current time (UTC, RFC 3339).
-- The operator rotates once the time has passed and never again for the same request.
local os = require("os")
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
obj.metadata.annotations["jwt.photoapp.io/rotate-after"] = os.date("!%Y-%m-%dT%H:%M:%SZ")
return obj
