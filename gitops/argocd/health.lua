-- Argo CD health of a JwtSecret (jwt.photoapp.io/v1alpha1), from what the operator writes in status.
-- observedGeneration behind -> Progressing; Ready=False -> Degraded; AwaitingApproval -> Suspended; a phase other than Idle or
-- RolloutComplete=False -> Progressing; otherwise Healthy.
local hs = {}

local function condition(conditions, type)
  if conditions == nil then
    return nil
  end
  for _, c in ipairs(conditions) do
    if c.type == type then
      return c
    end
  end
  return nil
end

local function describe(c)
  local text = c.type .. "=" .. tostring(c.status)
  if c.reason ~= nil and c.reason ~= "" then
    text = text .. " (" .. c.reason .. ")"
  end
  if c.message ~= nil and c.message ~= "" then
    text = text .. ": " .. c.message
  end
  return text
end

if obj.status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report status"
  return hs
end

local status = obj.status
local generation = obj.metadata and obj.metadata.generation
-- A status written for an older spec says nothing about the current one yet.
if generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. tostring(generation)
  return hs
end

local ready = condition(status.conditions, "Ready")
if ready ~= nil and ready.status == "False" then
  hs.status = "Degraded"
  hs.message = describe(ready)
  return hs
end

-- approval: Manual: the next key is published and the switch waits for a person (rotate --approve).
if status.phase == "AwaitingApproval" then
  hs.status = "Suspended"
  hs.message = "Waiting for approval of the switch to key " .. tostring(status.nextKeyId)
    .. " (jwt-secret-operator rotate --approve " .. tostring(obj.metadata and obj.metadata.name) .. ")"
  return hs
end

local rollout = condition(status.conditions, "RolloutComplete")
if status.phase ~= nil and status.phase ~= "Idle" then
  hs.status = "Progressing"
  hs.message = "Rotation at phase " .. status.phase
  if rollout ~= nil and rollout.status == "False" then
    hs.message = hs.message .. "; " .. describe(rollout)
  end
  return hs
end

if rollout ~= nil and rollout.status == "False" then
  hs.status = "Progressing"
  hs.message = describe(rollout)
  return hs
end

if ready == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the Ready condition"
  return hs
end

hs.status = "Healthy"
hs.message = "Key " .. tostring(status.keyId) .. " is current"
local compliant = condition(status.conditions, "PolicyCompliant")
if compliant ~= nil and compliant.status == "False" then
  hs.message = hs.message .. "; " .. describe(compliant)
end
return hs
