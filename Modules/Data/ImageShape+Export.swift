// `ImageShape` lives in BackpropRegistry, where plug-ins are told the data's layout through
// `PluginContext`; the data module uses it for `Dataset.imageShape` and re-exports it, so that
// `import BackpropData` alone still names it.
@_exported import struct BackpropRegistry.ImageShape
