// The umbrella module: `import Backprop` brings every library module in.
@_exported import BackpropData
@_exported import BackpropLayers
@_exported import BackpropRegistry
@_exported import BackpropRegularizers
@_exported import BackpropReports
@_exported import BackpropSchedules
@_exported import BackpropTensor
@_exported import BackpropTraining
