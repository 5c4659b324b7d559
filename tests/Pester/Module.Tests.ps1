BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'The built module' {
    It 'has a manifest that Test-ModuleManifest accepts' {
        $manifest = Test-ModuleManifest -Path $ManifestPath -ErrorAction Stop
        $manifest.Name | Should -Be 'SeedreamPS'
        $manifest.PowerShellVersion | Should -Be ([version]'5.1')
        $manifest.CompatiblePSEditions | Should -Contain 'Desktop'
        $manifest.CompatiblePSEditions | Should -Contain 'Core'
    }

    It 'imports without errors' {
        { Import-Module $ManifestPath -Force -ErrorAction Stop } | Should -Not -Throw
        Get-Module SeedreamPS | Should -Not -BeNullOrEmpty
    }

    It 'keeps third-party assemblies in dependencies/ and its own at the root' {
        Join-Path $ModulePath 'SeedreamPS.dll' | Should -Exist
        Join-Path $ModulePath 'SeedreamPS.Core.dll' | Should -Exist
        Join-Path $ModulePath 'dependencies/System.Text.Json.dll' | Should -Exist
        Join-Path $ModulePath 'System.Text.Json.dll' | Should -Not -Exist
        Join-Path $ModulePath 'System.Management.Automation.dll' | Should -Not -Exist
    }

    It 'can use System.Text.Json through SeedreamPS.Core once imported' {
        Import-Module $ManifestPath -Force
        $catalog = [SeedreamPS.Core.Catalog.ModelCatalog]::Models
        $catalog.Count | Should -BeGreaterThan 0
        $adapter = [SeedreamPS.Core.Gateways.GatewayAdapters]::For('EvoLink')
        $parsed = $adapter.ParseError(400, '{"error":{"code":"invalid_parameters","message":"bad","type":"invalid_request_error"}}')
        $parsed.ErrorCode | Should -Be 'invalid_parameters'
    }
}

Describe 'The simulator' {
    BeforeAll { $sim = Start-SeedreamSimulator -LatencyMs 0 }
    AfterAll { Stop-SeedreamSimulator $sim }

    It 'prints its loopback URL as the first line' {
        $sim.Uri | Should -Match '^http://127\.0\.0\.1:\d+$'
    }

    It 'answers an EvoLink create with a task object' {
        $headers = @{ Authorization = "Bearer $($sim.ApiKey)" }
        $body = @{ model = 'doubao-seedream-4.0'; prompt = 'a lighthouse'; size = '16:9' } | ConvertTo-Json
        $task = Invoke-RestMethod -Method Post -Uri "$($sim.EvoLinkUri)/v1/images/generations" -Headers $headers -Body $body -ContentType 'application/json'
        $task.object | Should -Be 'image.generation.task'
        $task.id | Should -Match '^task-unified-'
    }

    It 'refuses a wrong key with 401' {
        $headers = @{ Authorization = 'Bearer wrong' }
        { Invoke-RestMethod -Method Post -Uri "$($sim.EvoLinkUri)/v1/images/generations" -Headers $headers -Body '{"prompt":"p"}' -ContentType 'application/json' } |
            Should -Throw -ExpectedMessage '*401*'
    }
}
