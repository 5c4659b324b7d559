# Get-SeedreamModel: the catalogue, which needs no gateway.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-TestModule
}

Describe 'Get-SeedreamModel' {
    It 'lists every model of every gateway' {
        @(Get-SeedreamModel).Count | Should -Be 10
        (Get-SeedreamModel -Gateway ModelArk).Id | Should -Be @('seedream-4-0-250828', 'seedream-4-5-251128', 'seedream-5-0-260128', 'seedream-5-0-pro-260628')
        $pro = Get-SeedreamModel -Gateway EvoLink -Name '*5.0-pro'
        $pro.Qualities | Should -Be @('1K', '1.5K', '2K')
        $pro.DefaultQuality | Should -Be '1K'
        $pro.ImagesPerRequest | Should -Be 1
        $pro.PricePerImageUsd | Should -BeNullOrEmpty
    }

    It 'filters by gateway and name' {
        (Get-SeedreamModel -Gateway LinkModel).Id | Should -Be @('seedream-4.0', 'seedream-4.5')
        (Get-SeedreamModel -Gateway EvoLink -Name *4.5*).Qualities | Should -Be @('2K', '4K')
        (Get-SeedreamModel -Gateway EvoLink -Name 5.0).Id | Should -Be 'doubao-seedream-5.0-lite'
    }
}
